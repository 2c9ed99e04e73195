/** Deepest nesting accepted in a sandbox's message: MIME bundles and demo values are shallow. */
export const MAX_JSON_DEPTH = 64;

/** The problem of a line that is not JSON at all (text an app printed, say), as opposed to bad JSON. */
export const NOT_JSON = 'not JSON';

export type ParsedLine = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Parses one line a sandbox wrote, after checking its nesting on the text: JSON.parse of a line of
 * 60 million `[` ran for two minutes and took 2.7 GB here, and every later recursive walk (zod,
 * JSON.stringify, Yjs) would overflow the stack on a value nested deep enough.
 */
export function parseJsonLine(text: string, maxDepth = MAX_JSON_DEPTH): ParsedLine {
  if (!nestsWithin(text, maxDepth)) return { ok: false, problem: `nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: NOT_JSON };
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether brackets outside strings nest at most `maxDepth` deep: one pass, no allocation; strings
 * (base64 images, long text) are skipped with indexOf, so a large honest line costs little.
 */
export function nestsWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1) return true; // unterminated: JSON.parse refuses it
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}

/** Index of the quote closing the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
}
