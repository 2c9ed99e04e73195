import { describe, expect, it } from 'vitest';
import { LogBuffer } from './LogBuffer.js';

describe('LogBuffer', () => {
  it('splits text into timestamped lines, replays history and follows new lines', () => {
    const log = new LogBuffer();
    log.write('one\ntwo\n');
    const seen: string[] = [];
    const stop = log.follow((l) => seen.push(l.data));
    log.write('three');
    stop();
    log.write('four');
    expect(log.history().map((l) => l.data)).toEqual(['one', 'two', 'three', 'four']);
    expect(seen).toEqual(['three']);
    expect(log.history()[0]?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('keeps only the newest lines, and a new build starts an empty history', () => {
    const log = new LogBuffer(3);
    for (let i = 0; i < 10; i++) log.write(`line ${i}`);
    expect(log.history().map((l) => l.data)).toEqual(['line 7', 'line 8', 'line 9']);
    log.clear();
    expect(log.history()).toEqual([]);
  });
});
