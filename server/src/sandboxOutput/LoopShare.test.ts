import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoopShare, unpacedShare } from './LoopShare.js';
import { readBoundedLines } from './readBoundedLines.js';

describe('LoopShare', () => {
  it('grants share × window per window and opens a fresh window when one has passed', () => {
    const share = new LoopShare(100, 0.5);
    expect(share.left(0)).toBe(50);
    share.spend(30);
    expect(share.left(10)).toBe(20);
    share.spend(25);
    expect(share.left(20)).toBe(0);
    expect(share.untilNextWindow(20)).toBe(80);
    expect(share.left(100)).toBe(50);
  });

  it('never makes a reader of the unpaced share wait, however much was spent', () => {
    unpacedShare.spend(1e9);
    expect(unpacedShare.left()).toBeGreaterThan(1000);
  });

  it('keeps busy readers within their share of the loop, losing no line', async () => {
    const share = new LoopShare(100, 0.3);
    const streams = [new PassThrough(), new PassThrough()];
    const lines: [string[], string[]] = [[], []];
    let busyMs = 0;
    streams.forEach((stream, i) => {
      readBoundedLines(stream, {
        maxBytes: 1024,
        longLines: 'end',
        loopShare: share,
        onLine: (line) => {
          const began = performance.now();
          while (performance.now() < began + 0.2);
          busyMs += performance.now() - began;
          lines[i as 0 | 1].push(line);
        },
        onError: (err) => {
          throw err;
        },
      });
    });
    const count = 1500;
    const started = performance.now();
    for (const stream of streams)
      stream.end(Buffer.from(Array.from({ length: count }, (_, i) => `${i}`).join('\n')));
    for (const deadline = Date.now() + 30_000; lines.some((l) => l.length < count) && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsed = performance.now() - started;
    expect(lines.map((l) => l.length)).toEqual([count, count]);
    expect(lines[1].at(-1)).toBe(`${count - 1}`);
    // 600 ms of line handling at 30 % of the loop takes about 2 s; all at once would take 0.6 s.
    expect(busyMs / elapsed).toBeLessThan(0.45);
  });
});
