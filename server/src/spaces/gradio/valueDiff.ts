/** One edit in Gradio's streaming diff format (sse_v3): [action, path, value]. */
export type DiffEdit = ['replace' | 'append' | 'add' | 'delete', (string | number)[], unknown];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The edits that turn `prev` into `next`, as @gradio/client applies them to streamed outputs:
 * growing text becomes an "append" of the new tokens, so a long generation is not re-sent whole.
 */
export function diffValue(prev: unknown, next: unknown, path: (string | number)[] = []): DiffEdit[] {
  if (prev === next) return [];
  if (typeof prev === 'string' && typeof next === 'string') {
    return next.startsWith(prev) ? [['append', path, next.slice(prev.length)]] : [['replace', path, next]];
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    const edits: DiffEdit[] = [];
    const common = Math.min(prev.length, next.length);
    for (let i = 0; i < common; i++) edits.push(...diffValue(prev[i], next[i], [...path, i]));
    for (let i = common; i < next.length; i++) edits.push(['add', [...path, i], next[i]]);
    for (let i = prev.length - 1; i >= next.length; i--) edits.push(['delete', [...path, i], null]);
    return edits;
  }
  if (isObject(prev) && isObject(next)) {
    const edits: DiffEdit[] = [];
    for (const key of Object.keys(next)) {
      if (key in prev) edits.push(...diffValue(prev[key], next[key], [...path, key]));
      else edits.push(['add', [...path, key], next[key]]);
    }
    for (const key of Object.keys(prev)) if (!(key in next)) edits.push(['delete', [...path, key], null]);
    return edits;
  }
  if (JSON.stringify(prev) === JSON.stringify(next)) return [];
  return [['replace', path, next]];
}
