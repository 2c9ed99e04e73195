import { fileURLToPath } from 'node:url';

/** `    at fn (file:///tmp/app/lib/x.ts:3:7)` or `    at file:///tmp/app/app.ts:3:7`: the place of one stack frame. */
const FRAME = /\(?((?:file:\/\/)?\/[^\s()]+):(\d+):(\d+)\)?\s*$/;

/** Where an app's error was thrown, as the author names it: `app.ts:3:7` (a file of the app, relative), or undefined. */
export function appErrorLocation(err: unknown, appDir: string): string | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const dir = appDir.endsWith('/') ? appDir : `${appDir}/`;
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (!m?.[1]) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    // The image's packages sit under the app's node_modules link: a frame there is not the author's.
    if (!file.startsWith(dir) || file.includes('/node_modules/')) continue;
    return `${file.slice(dir.length)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Text for whatever an app threw, never throwing itself: an app may throw an object whose toString
 * throws, or an Error whose message or stack is not a string.
 */
export function thrownText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `a thrown ${typeof value} that cannot be shown as text`;
  }
}

/** An error of the app for its author: the message, then where it was thrown (`… (app.ts:3:7)`). */
export function describeAppError(err: unknown, appDir: string): string {
  // A plain Error says only its message; a TypeError or RangeError keeps its name, which says much.
  const message =
    err instanceof Error
      ? err.name === 'Error'
        ? thrownText(err.message)
        : `${thrownText(err.name)}: ${thrownText(err.message)}`
      : thrownText(err);
  const at = appErrorLocation(err, appDir);
  return at ? `${message} (${at})` : message;
}

/** Frames of Node's module loader and of the runner itself: not the author's, and only noise to them. */
const PLUMBING = /^\s+at .*(node:internal\/|\/runner\/appMain\.js)/;

/** The stack for the run log: the app's folder taken off its paths (it reads `app.ts:3:7` too), plumbing left out. */
export function appStack(err: unknown, appDir: string): string {
  const text =
    err instanceof Error
      ? typeof err.stack === 'string'
        ? err.stack
        : thrownText(err.message)
      : thrownText(err);
  const dir = appDir.endsWith('/') ? appDir : `${appDir}/`;
  return text
    .replaceAll(`file://${dir}`, '')
    .replaceAll(dir, '')
    .split('\n')
    .filter((line) => !PLUMBING.test(line))
    .join('\n');
}
