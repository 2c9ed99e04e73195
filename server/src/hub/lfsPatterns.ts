/**
 * `.gitattributes` patterns that route files through LFS (`*.bin filter=lfs …`), matched without
 * backtracking. They were regular expressions once: `*a*a*a*a*a*a*a*a*b` against a 200-character
 * path then ran for minutes on the event loop. Here a pattern is a small automaton simulated over the
 * path, so a match costs at most (path length × pattern length) steps, whatever the pattern.
 */

/** One step of a pattern: a literal character, `?` (one character but /), `*` (any but /), `**` (anything). */
type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'star' } | { kind: 'globstar' };

export interface LfsPattern {
  tokens: Token[];
  /** Without a slash, a pattern matches the end of the path after any `/` (git's basename rule). */
  anywhere: boolean;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      while (pattern[i + 1] === '*') i++;
      tokens.push({ kind: 'globstar' });
    } else if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', char: c });
  }
  return tokens;
}

/** The LFS patterns of a `.gitattributes` file. */
export function lfsPatterns(gitattributes: string): LfsPattern[] {
  const out: LfsPattern[] = [];
  for (const line of gitattributes.split('\n')) {
    const [pattern, ...attrs] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#') || !attrs.includes('filter=lfs')) continue;
    out.push({ tokens: tokenize(pattern), anywhere: !pattern.includes('/') });
  }
  return out;
}

/** Steps a match costs at most: what decides whether it is worth a worker thread. */
export const matchCost = (patterns: LfsPattern[], paths: string[]): number =>
  patterns.reduce((n, p) => n + p.tokens.length + 1, 0) * paths.reduce((n, p) => n + p.length + 1, 0);

/** Adds state `i` and every state reachable from it without reading (stars match nothing too). */
function enter(active: Uint8Array, tokens: Token[], from: number): void {
  for (let i = from; i <= tokens.length && !active[i]; i++) {
    active[i] = 1;
    const kind = tokens[i]?.kind;
    if (kind !== 'star' && kind !== 'globstar') break;
  }
}

/** Whether the whole path matches (or, for a pattern without a slash, the path's end after a `/`). */
export function matchesLfsPattern(pattern: LfsPattern, path: string): boolean {
  const { tokens } = pattern;
  let active = new Uint8Array(tokens.length + 1);
  let next = new Uint8Array(tokens.length + 1);
  enter(active, tokens, 0);
  for (let p = 0; p < path.length; p++) {
    const c = path[p] as string;
    next.fill(0);
    for (let i = 0; i < tokens.length; i++) {
      if (!active[i]) continue;
      const t = tokens[i] as Token;
      if (t.kind === 'globstar' || (t.kind === 'star' && c !== '/')) enter(next, tokens, i);
      else if ((t.kind === 'one' && c !== '/') || (t.kind === 'char' && t.char === c))
        enter(next, tokens, i + 1);
    }
    if (pattern.anywhere && c === '/') enter(next, tokens, 0);
    [active, next] = [next, active];
  }
  return active[tokens.length] === 1;
}
