import { describe, expect, it } from 'vitest';
import { HealthChecks } from './HealthChecks.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HealthChecks', () => {
  it('runs an uncached check on every poll and reports degraded when one fails', async () => {
    const health = new HealthChecks();
    let calls = 0;
    health.register('counted', () => ({ ok: true, calls: ++calls }));
    health.register('broken', () => {
      throw new Error('disk gone');
    });
    await health.run();
    const report = await health.run();
    expect(report.checks.counted).toEqual({ ok: true, calls: 2 });
    expect(report.checks.broken).toEqual({ ok: false, error: 'disk gone' });
    expect(report.status).toBe('degraded');
  });

  it('shares one slow check among concurrent polls and reuses it while fresh', async () => {
    const health = new HealthChecks();
    let calls = 0;
    health.register(
      'slow',
      async () => {
        calls++;
        await sleep(50);
        return { ok: true };
      },
      { maxAgeMs: 10_000 },
    );
    await Promise.all([health.run(), health.run(), health.run()]);
    await health.run();
    expect(calls).toBe(1);
  });

  it('answers a stale report at once and refreshes it behind the answer', async () => {
    const health = new HealthChecks();
    let release: (() => void) | undefined;
    let calls = 0;
    health.register(
      'pinged',
      async () => {
        calls++;
        if (calls > 1) await new Promise<void>((r) => (release = r));
        return { ok: calls === 1 };
      },
      { maxAgeMs: 20 },
    );
    expect((await health.run()).status).toBe('ok');
    await sleep(30);
    const started = performance.now();
    const stale = await health.run();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(stale.status).toBe('ok');
    expect(stale.checks.pinged?.checkedMsAgo).toBeGreaterThanOrEqual(20);
    expect(calls).toBe(2);
    release?.();
    await sleep(5);
    expect((await health.run()).status).toBe('degraded');
  });
});
