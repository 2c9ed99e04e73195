import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { ndjsonLines } from './ndjsonLines.js';

async function collect(chunks: string[], maxLine = 1000, maxTotal = 10_000) {
  async function* source() {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: string[] = [];
  for await (const line of ndjsonLines(source(), maxLine, maxTotal)) out.push(Buffer.concat(line).toString());
  return out;
}

describe('NDJSON line splitting', () => {
  it('joins lines split across chunks, skips blank lines and keeps a last line without newline', async () => {
    expect(await collect(['{"a":', '1}\n\n{"b"', ':2}\n{"c":3}'])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps multi-byte characters split between chunks intact', async () => {
    const bytes = Buffer.from('"é"\n');
    async function* source() {
      yield bytes.subarray(0, 2);
      yield bytes.subarray(2);
    }
    const out: string[] = [];
    for await (const line of ndjsonLines(source(), 100, 100)) out.push(Buffer.concat(line).toString());
    expect(out).toEqual(['"é"']);
  });

  it('refuses a line or a body over its limit with 413', async () => {
    await expect(collect(['x'.repeat(2000)], 1000)).rejects.toSatisfy(
      (e: unknown) => e instanceof HttpError && e.status === 413,
    );
    await expect(collect(['a\n'.repeat(6000)], 1000, 10_000)).rejects.toSatisfy(
      (e: unknown) => e instanceof HttpError && e.status === 413,
    );
  });
});
