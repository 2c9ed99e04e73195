import type { Readable } from 'node:stream';
import { type LoopShare, sandboxOutputShare } from './LoopShare.js';

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
  /** The loop time this reader draws from (default: the one shared by every sandbox reader). */
  loopShare?: LoopShare;
}

/**
 * Splits a byte stream into lines holding at most `maxBytes` of an unfinished line, whatever the
 * writer does: sandboxes write these streams, and one endless line must not exhaust the server.
 * Bytes are kept as Buffers (no string grows) and decoded once per whole line. A chunk holding
 * thousands of lines is handled in slices of at most SLICE_MS, the stream paused in between, and
 * all readers together stay within their LoopShare, so flooding sandboxes never hold the event
 * loop for long (other users' requests, health).
 */
const SLICE_MS = 10;

export function readBoundedLines(stream: Readable, options: BoundedLineOptions): void {
  const { maxBytes } = options;
  const share = options.loopShare ?? sandboxOutputShare;
  let parts: Buffer[] = [];
  let held = 0;
  /** Inside a long line being dropped (cut mode) up to its newline. */
  let skipping = false;
  let stopped = false;
  /** A chunk is being handled over several turns; `end` waits for it. */
  let slicing = false;
  let ended = false;

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
  /** `rest`: the part of the current chunk past what was held, of which maxBytes - held are kept. */
  const tooLong = (rest: Buffer) => {
    if (options.longLines === 'end') {
      // No prefix is built: copying 64 MiB only to drop it stalled the event loop for a second here.
      parts = [];
      held = 0;
      stopped = true;
      guard(() => options.onLongLine?.());
      return;
    }
    const prefix = Buffer.concat([...parts, rest.subarray(0, maxBytes - held)]);
    parts = [];
    held = 0;
    skipping = true;
    guard(() => options.onLongLine?.());
    if (!stopped) guard(() => options.onLine(`${prefix.toString('utf8')}…`));
  };

  /**
   * Handles `bytes` from `from`; past the slice it pauses the stream, goes on in a later turn and
   * resumes the stream once the chunk is done. Returns whether the chunk was done now.
   */
  const consume = (bytes: Buffer, from: number): boolean => {
    const began = performance.now();
    const allowance = Math.min(SLICE_MS, share.left(began));
    const sliceEnds = began + allowance;
    let start = from;
    const later = (delayMs: number) => {
      stream.pause();
      slicing = true;
      const goOn = () => {
        if (!consume(bytes, start)) return;
        slicing = false;
        // The stream may have ended meanwhile (its last chunk was this one).
        if (ended) finish();
        else if (!stream.destroyed) stream.resume();
      };
      if (delayMs > 0) setTimeout(goOn, delayMs);
      else setImmediate(goOn);
      return false;
    };
    if (allowance <= 0) return later(share.untilNextWindow(began));
    try {
      while (!stopped && start < bytes.length) {
        if (start > from && performance.now() > sliceEnds) return later(0);
        const nl = bytes.indexOf(0x0a, start);
        const end = nl === -1 ? bytes.length : nl;
        const piece = bytes.subarray(start, end);
        start = end + 1;
        if (skipping) {
          if (nl !== -1) skipping = false;
          continue;
        }
        if (held + piece.length > maxBytes) {
          tooLong(piece);
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
      return true;
    } finally {
      share.spend(performance.now() - began);
    }
  };
  stream.on('data', (chunk: Buffer | string) => {
    if (stopped) return;
    consume(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, 0);
  });
  const finish = () => {
    if (!stopped && !skipping && held > 0) deliver(Buffer.concat(parts, held));
    parts = [];
    held = 0;
  };
  stream.on('end', () => {
    ended = true;
    if (!slicing) finish();
  });
  stream.on('error', (err) => {
    if (stopped) return;
    stopped = true;
    options.onError(err);
  });
}
