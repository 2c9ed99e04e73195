import { describe, expect, it } from 'vitest';
import { waitFor } from './waitFor.js';

describe('waitFor', () => {
  it('resolves with the first value the condition reaches, counting 0 as reached', async () => {
    let calls = 0;
    expect(
      await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { what: 'three calls', interval: 1 }),
    ).toBe('ready');
    expect(await waitFor(async () => 0, { what: 'zero' })).toBe(0);
  });

  it('fails naming what it waited for and the last value the condition gave', async () => {
    await expect(waitFor(() => false, { what: 'the pool to refill', timeout: 50 })).rejects.toThrow(
      'timed out after 50 ms waiting for the pool to refill; last value: false',
    );
  });

  it('retries a condition that throws and reports its last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { what: 'the server', timeout: 50 },
      ),
    ).rejects.toThrow('waiting for the server; last error: connection refused');
  });
});
