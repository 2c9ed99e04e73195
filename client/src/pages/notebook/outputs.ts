/** One nbformat output, as plain JSON. */
export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** Characters of one output the page renders; the rest is cut with a notice (the document keeps it). */
export const VIEW_CAP_CHARS = 100_000;

/** MIME types in the order the page prefers them, richest first. */
export const MIME_ORDER = [
  'application/vnd.vegalite.v5+json',
  'application/vnd.vegalite.v4+json',
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'application/json',
  'text/markdown',
  'text/plain',
] as const;

// ANSI escapes (colours, cursor moves) as kernels put them in tracebacks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Text without terminal colour codes. */
export const stripAnsi = (text: string) => text.replace(ANSI, '');

/** nbformat multi-line strings come as lists of lines. */
export const joined = (v: unknown): string =>
  Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v);

/** The richest representation of a bundle this page can show. */
export function pickMime(data: Record<string, unknown>): (typeof MIME_ORDER)[number] | null {
  return MIME_ORDER.find((m) => data[m] !== undefined) ?? null;
}

/** Cuts text at the view cap; returns the text and how much was left out. */
export function capped(text: string, cap = VIEW_CAP_CHARS): { text: string; omitted: number } {
  return text.length <= cap ? { text, omitted: 0 } : { text: text.slice(0, cap), omitted: text.length - cap };
}

/** Past this many lines of text a cell's outputs scroll in a box of bounded height, as in JupyterLab. */
export const SCROLL_ABOVE_LINES = 100;

/** Lines of text (streams, plain text, tracebacks) in a cell's outputs, stopping once past `limit`. */
export function outputLines(outputs: Output[], limit = SCROLL_ABOVE_LINES): number {
  let lines = 0;
  for (const o of outputs) {
    const text =
      o.output_type === 'stream'
        ? joined(o.text)
        : o.output_type === 'error'
          ? (o.traceback ?? []).join('\n')
          : joined(o.data?.['text/plain']);
    for (let at = text.indexOf('\n'); at !== -1 && lines <= limit; at = text.indexOf('\n', at + 1)) lines++;
    if (text && !text.endsWith('\n')) lines++;
    if (lines > limit) break;
  }
  return lines;
}
