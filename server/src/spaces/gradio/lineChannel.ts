import type { Readable, Writable } from 'node:stream';
import { MAX_CHANNEL_LINE_BYTES } from '../../sandboxOutput/limits.js';
import { parseJsonLine } from '../../sandboxOutput/parseJsonLine.js';
import { readBoundedLines } from '../../sandboxOutput/readBoundedLines.js';
import type { DemoHostChannel } from './DemoHostBackend.js';

/**
 * App mode over any pair of byte streams, one JSON message per line: a child process's stdio (tests,
 * development). Lines that are not JSON objects (an app printing to stdout) are skipped; the rest
 * goes to the backend, which checks it. A line past the limit stops the reading, as it would end a
 * sandbox; `onProblem` hears about it (and about replies the backend refused).
 */
export function lineChannel(
  input: Writable,
  output: Readable,
  ended: Promise<string>,
  onProblem: (problem: string) => void = () => {},
): DemoHostChannel {
  const listeners: ((reply: unknown) => void)[] = [];
  readBoundedLines(output, {
    maxBytes: MAX_CHANNEL_LINE_BYTES,
    longLines: 'end',
    onLine: (line) => {
      const parsed = parseJsonLine(line);
      if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') return;
      for (const listener of listeners) listener(parsed.value);
    },
    onLongLine: () => onProblem('the host wrote a line past the limit'),
    onError: (err) => onProblem(`handling a reply failed: ${err instanceof Error ? err.message : err}`),
  });
  return {
    send: (request) => {
      if (input.writable) input.write(`${JSON.stringify(request)}\n`);
    },
    onReply: (listener) => {
      listeners.push(listener);
    },
    onClose: (listener) => {
      void ended.then(listener);
    },
    dropped: onProblem,
  };
}
