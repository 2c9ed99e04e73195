import { describe, expect, it } from 'vitest';
import { callTimeoutSeconds } from './callTimeout.js';

describe('callTimeoutSeconds', () => {
  it('reads durations as the Hub writes them, and plain seconds', () => {
    expect(callTimeoutSeconds({ call_duration_timeout: '90s' }, 120)).toEqual({ seconds: 90 });
    expect(callTimeoutSeconds({ call_duration_timeout: '2m' }, 120)).toEqual({ seconds: 120 });
    expect(callTimeoutSeconds({ call_duration_timeout: '1h' }, 120)).toEqual({ seconds: 3600 });
    expect(callTimeoutSeconds({ call_duration_timeout: 5 }, 120)).toEqual({ seconds: 5 });
  });

  it('uses the default when the card says nothing', () => {
    expect(callTimeoutSeconds({}, 120)).toEqual({ seconds: 120 });
  });

  it('warns and uses the default for values it cannot read or that are out of range', () => {
    for (const bad of ['soon', '0s', '-3', '2d', '25h', { m: 1 }]) {
      const read = callTimeoutSeconds({ call_duration_timeout: bad }, 120);
      expect(read.seconds).toBe(120);
      expect(read.warning).toMatch(/^Warning: call_duration_timeout ".*" is not a duration/);
    }
  });
});
