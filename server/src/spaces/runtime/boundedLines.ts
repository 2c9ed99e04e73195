import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines like readline, but refuses a line longer than `maxChars`: the
 * app inside a sandbox writes these streams, so one endless line must not exhaust the server.
 */
export function boundedLines(
  stream: Readable,
  maxChars: number,
  onLine: (line: string) => void,
  onOverflow: () => void,
): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overflowed = false;
  stream.on('data', (chunk: Buffer | string) => {
    if (overflowed) return;
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n', start)) {
      onLine(pending.slice(start, nl).replace(/\r$/, ''));
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxChars) {
      overflowed = true;
      pending = '';
      onOverflow();
    }
  });
  stream.on('end', () => {
    if (!overflowed && pending) onLine(pending);
  });
}
