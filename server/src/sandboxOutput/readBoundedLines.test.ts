import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoopShare } from './LoopShare.js';
import { type BoundedLineOptions, readBoundedLines } from './readBoundedLines.js';

/** No cap on loop time: these tests are about lines, and a loaded machine must not pace them. */
const unlimited = () => new LoopShare(Number.POSITIVE_INFINITY, 1);

/** Retries an assertion until it holds: a chunk may be handled over several turns (slices). */
async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function reader(maxBytes: number, longLines: BoundedLineOptions['longLines'], onLine?: (l: string) => void) {
  const stream = new PassThrough();
  const lines: string[] = [];
  const events = { long: 0, errors: [] as unknown[] };
  readBoundedLines(stream, {
    maxBytes,
    longLines,
    onLine: onLine ?? ((l) => lines.push(l)),
    onLongLine: () => events.long++,
    onError: (err) => events.errors.push(err),
    loopShare: unlimited(),
  });
  return { stream, lines, events };
}

describe('readBoundedLines', () => {
  it('splits lines across chunks and multi-byte characters, and keeps a last line without newline', async () => {
    const { stream, lines } = reader(100, 'end');
    const bytes = Buffer.from('héllo\r\nwor');
    stream.write(bytes.subarray(0, 2));
    stream.write(bytes.subarray(2));
    stream.write('ld\n\nlast');
    stream.end();
    await new Promise((r) => stream.on('end', r));
    expect(lines).toEqual(['héllo', 'world', '', 'last']);
  });

  it('stops at a line longer than the limit, once, and reads nothing after it', async () => {
    const { stream, lines, events } = reader(10, 'end');
    stream.write('ok\n');
    stream.write('x'.repeat(8));
    stream.write('x'.repeat(8));
    stream.write('more\nafter\n');
    await eventually(() => expect(events.long).toBe(1));
    expect(lines).toEqual(['ok']);
  });

  it('accepts a line of exactly the limit', async () => {
    const { stream, lines, events } = reader(10, 'end');
    stream.write(`${'y'.repeat(10)}\n`);
    await eventually(() => expect(lines).toEqual(['y'.repeat(10)]));
    expect(events.long).toBe(0);
  });

  it('cuts a long line to its first bytes and goes on with the next one in cut mode', async () => {
    const { stream, lines, events } = reader(4, 'cut');
    stream.write('abcdefgh');
    stream.write('ijkl\nnext\nabcdefg\nend\n');
    await eventually(() => expect(lines).toEqual(['abcd…', 'next', 'abcd…', 'end']));
    expect(events.long).toBe(2);
  });

  it('never holds more than the limit however much arrives without a newline', async () => {
    const { stream, events } = reader(1024 * 1024, 'cut');
    const before = process.memoryUsage().arrayBuffers;
    const chunk = Buffer.alloc(1024 * 1024, 0x78);
    for (let i = 0; i < 200; i++) stream.write(chunk);
    await eventually(() => expect(stream.writableLength).toBe(0));
    // 200 MiB went through; what is still referenced is about one chunk, not the stream.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    expect(events.long).toBe(1);
  });

  it('hands what a line handler throws to onError and stops, without throwing into the stream', async () => {
    const { stream, events } = reader(100, 'end', (l) => {
      if (l === 'boom') throw new Error('handler failed');
    });
    expect(() => stream.write('fine\nboom\nlater\n')).not.toThrow();
    await eventually(() => expect((events.errors[0] as Error | undefined)?.message).toBe('handler failed'));
    expect(events.errors).toHaveLength(1);
  });

  it('reports a stream error instead of letting it crash the process', () => {
    const { stream, events } = reader(100, 'end');
    stream.destroy(new Error('broken pipe'));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect((events.errors[0] as Error).message).toBe('broken pipe');
        resolve();
      }),
    );
  });
});

describe('readBoundedLines on a flood', () => {
  it('hands a chunk of many lines over in slices, yielding to other work between them, in order', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    let timerRanAt = -1;
    readBoundedLines(stream, {
      maxBytes: 1024,
      longLines: 'end',
      onLine: (line) => {
        // Each line costs ~0.1 ms, so the chunk needs several slices.
        const until = performance.now() + 0.1;
        while (performance.now() < until);
        lines.push(line);
      },
      onError: (err) => {
        throw err;
      },
      loopShare: unlimited(),
    });
    const count = 2000;
    setImmediate(() => {
      timerRanAt = lines.length;
    });
    // The last line has no newline: it arrives once the stream has ended and every slice is done.
    stream.end(Buffer.from(Array.from({ length: count }, (_, i) => `line ${i}`).join('\n')));
    for (const deadline = Date.now() + 10_000; lines.length < count && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lines).toEqual(Array.from({ length: count }, (_, i) => `line ${i}`));
    // Other work ran while the chunk was only partly handled.
    expect(timerRanAt).toBeGreaterThan(0);
    expect(timerRanAt).toBeLessThan(count);
  });
});
