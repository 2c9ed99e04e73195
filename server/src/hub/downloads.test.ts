import { describe, expect, it } from 'vitest';
import { parseRange } from './downloads.js';

describe('Range header parsing', () => {
  it('reads a closed, an open-ended and a suffix range, clamping the end to the file', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('serves the whole file without a header or for several ranges', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
  });

  it('marks ranges that cannot be satisfied', () => {
    for (const bad of ['bytes=100-', 'bytes=50-10', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=abc'])
      expect(parseRange(bad, 100), bad).toBeNull();
    expect(parseRange('bytes=0-0', 0)).toBeNull();
  });
});
