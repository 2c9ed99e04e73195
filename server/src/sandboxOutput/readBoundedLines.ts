import type { Readable } from 'node:stream';

export interface BoundedLineOptions {
  /** Longest line kept, in bytes, without its newline. */
  maxBytes: number;
  /** One line, decoded as UTF-8, without its `\n` (and a `\r` before it). */
  onLine: (line: string) => void;
  /**
   * What a line longer than maxBytes does. `end`: reading stops there and onLongLine is told (the
   * owner ends the sandbox). `cut`: its first maxBytes bytes arrive as a line ending in `…`, the
   * rest up to the next newline is dropped, and reading goes on (logs).
   */
  longLines: 'end' | 'cut';
  onLongLine?: () => void;
  /** Anything onLine (or onLongLine) threw, and stream errors: nothing reaches the event loop. */
  onError: (err: unknown) => void;
}

/**
 * Splits a byte stream into lines holding at most `maxBytes` of an unfinished line, whatever the
 * writer does: sandboxes write these streams, and one endless line must not exhaust the server.
 * Bytes are kept as Buffers (no string grows) and decoded once per whole line.
 */
export function readBoundedLines(stream: Readable, options: BoundedLineOptions): void {
  const { maxBytes } = options;
  let parts: Buffer[] = [];
  let held = 0;
  /** Inside a long line being dropped (cut mode) up to its newline. */
  let skipping = false;
  let stopped = false;

  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      stopped = true;
      options.onError(err);
    }
  };
  const deliver = (bytes: Buffer) => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    guard(() => options.onLine(bytes.toString('utf8', 0, end)));
  };
  const tooLong = (prefix: Buffer) => {
    parts = [];
    held = 0;
    if (options.longLines === 'end') {
      stopped = true;
      guard(() => options.onLongLine?.());
      return;
    }
    skipping = true;
    guard(() => options.onLongLine?.());
    if (!stopped) guard(() => options.onLine(`${prefix.toString('utf8')}…`));
  };

  stream.on('data', (chunk: Buffer | string) => {
    if (stopped) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (!stopped && start < bytes.length) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl === -1 ? bytes.length : nl;
      const piece = bytes.subarray(start, end);
      start = end + 1;
      if (skipping) {
        if (nl !== -1) skipping = false;
        continue;
      }
      if (held + piece.length > maxBytes) {
        const prefix = Buffer.concat([...parts, piece.subarray(0, maxBytes - held)]);
        tooLong(prefix);
        // The long line's own newline ends the skip at once.
        if (nl !== -1) skipping = false;
        continue;
      }
      if (nl === -1) {
        // Copied, so a small tail never pins a large chunk in memory.
        parts.push(Buffer.from(piece));
        held += piece.length;
        continue;
      }
      const line = held === 0 ? piece : Buffer.concat([...parts, piece], held + piece.length);
      parts = [];
      held = 0;
      deliver(line);
    }
  });
  stream.on('end', () => {
    if (!stopped && !skipping && held > 0) deliver(Buffer.concat(parts, held));
    parts = [];
    held = 0;
  });
  stream.on('error', (err) => {
    if (stopped) return;
    stopped = true;
    options.onError(err);
  });
}
