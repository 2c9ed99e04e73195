import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundedLines } from './boundedLines.js';

describe('boundedLines', () => {
  it('splits lines across chunks and multi-byte characters', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    boundedLines(
      stream,
      100,
      (l) => lines.push(l),
      () => {},
    );
    const bytes = Buffer.from('héllo\r\nwor');
    stream.write(bytes.subarray(0, 2));
    stream.write(bytes.subarray(2));
    stream.write('ld\nlast');
    stream.end();
    await new Promise((r) => stream.on('end', r));
    expect(lines).toEqual(['héllo', 'world', 'last']);
  });

  it('gives up on a line longer than the limit and reports it once', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    let overflows = 0;
    boundedLines(
      stream,
      10,
      (l) => lines.push(l),
      () => overflows++,
    );
    stream.write('ok\n');
    stream.write('x'.repeat(11));
    stream.write('more\nafter\n');
    expect(lines).toEqual(['ok']);
    expect(overflows).toBe(1);
  });
});
