import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { collabLimits } from './limits.js';
import { UpdateDecoder } from './UpdateDecoder.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const log = createLogger('silent');
// Not the empty update (which never reaches a decoder); every update goes to the worker (inline max 0).
const update = new Uint8Array([1, 2, 3, 4]);

describe('UpdateDecoder', () => {
  it('does not count a worker’s boot against the first update’s budget', async () => {
    expect(collabLimits.decodeBaseMs).toBeLessThan(3000); // the fixture boots for longer than the budget
    const decoder = new UpdateDecoder(fixture('slowBootDecoder.mjs'), log, 0);
    try {
      expect(await decoder.check(update)).toMatchObject({ ok: true });
      expect(decoder.restarts).toBe(0);
    } finally {
      await decoder.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'does not count time its thread waited for the CPU against an update (the budget is CPU time)',
    async () => {
      expect(collabLimits.decodeBaseMs).toBeLessThan(3000); // the fixture waits longer than the budget
      const decoder = new UpdateDecoder(fixture('starvedDecoder.mjs'), log, 0);
      try {
        expect(await decoder.check(update)).toMatchObject({ ok: true });
        expect(decoder.restarts).toBe(0);
      } finally {
        await decoder.close();
      }
    },
  );

  it('ends a decoder that spins past its budget and replaces the worker', async () => {
    const decoder = new UpdateDecoder(fixture('spinningDecoder.mjs'), log, 0);
    try {
      const started = performance.now();
      expect(await decoder.check(update)).toEqual({
        ok: false,
        reason: 'update exceeded the decoding time budget',
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(collabLimits.decodeBaseMs - 50);
      expect(decoder.restarts).toBe(1);
    } finally {
      await decoder.close();
    }
  });
});
