import { describe, expect, it } from 'vitest';
import { WarmPool } from './WarmPool.js';

/** A fake sandbox: a number and whether it is alive. */
interface FakeSandbox {
  n: number;
  alive: boolean;
}

function pool(size: number, options: { ready?: () => boolean; failAt?: number } = {}) {
  let launched = 0;
  const discarded: number[] = [];
  const errors: unknown[] = [];
  const p = new WarmPool<FakeSandbox>({
    size: () => size,
    canLaunch: options.ready ?? (() => true),
    launch: async () => {
      launched++;
      if (launched === options.failAt) throw new Error('engine down');
      return { n: launched, alive: true };
    },
    alive: (s) => s.alive,
    discard: async (s) => {
      discarded.push(s.n);
    },
    onFillError: (err) => errors.push(err),
  });
  return { p, discarded, errors, launched: () => launched };
}

describe('WarmPool', () => {
  it('fills to its size one at a time, and concurrent fills share one run', async () => {
    const { p, launched } = pool(3);
    const [a, b] = [p.fill(), p.fill()];
    expect(a).toBe(b);
    await a;
    expect(p.length).toBe(3);
    expect(launched()).toBe(3);
  });

  it('fills later when it could not before (a fill with nothing to do leaves no stale promise)', async () => {
    let ready = false;
    const { p } = pool(2, { ready: () => ready });
    await p.fill();
    expect(p.length).toBe(0);
    ready = true;
    await p.fill();
    expect(p.length).toBe(2);
  });

  it('replaces a pooled one that died while waiting on the next fill, discarding it', async () => {
    const { p, discarded, launched } = pool(2);
    await p.fill();
    p.find((s) => s.n === 1)!.alive = false;
    await p.fill();
    expect(discarded).toEqual([1]);
    expect(launched()).toBe(3);
    expect(p.length).toBe(2);
    expect(p.find((s) => s.n === 1)).toBeUndefined();
  });

  it('hands out the oldest live one and discards the dead ones met on the way', async () => {
    const { p, discarded } = pool(3);
    await p.fill();
    const first = p.find((s) => s.n === 1);
    const second = p.find((s) => s.n === 2);
    first!.alive = false;
    second!.alive = false;
    expect(p.take()?.n).toBe(3);
    expect(discarded).toEqual([1, 2]);
    expect(p.take()).toBeUndefined();
  });

  it('removes one that died while waiting, and reports a failed launch without throwing', async () => {
    const { p, errors } = pool(3, { failAt: 2 });
    await p.fill();
    expect(p.length).toBe(1);
    expect(errors).toHaveLength(1);
    const only = p.find(() => true)!;
    expect(p.remove(only)).toBe(true);
    expect(p.remove(only)).toBe(false);
    expect(p.length).toBe(0);
  });

  it('stops filling on close, discards one that finished starting after it, and hands back the rest', async () => {
    let open: () => void = () => {};
    const discarded: number[] = [];
    let launched = 0;
    const p = new WarmPool<FakeSandbox>({
      size: () => 2,
      canLaunch: () => true,
      launch: async () => {
        launched++;
        if (launched === 2) await new Promise<void>((r) => (open = r));
        return { n: launched, alive: true };
      },
      alive: (s) => s.alive,
      discard: async (s) => {
        discarded.push(s.n);
      },
      onFillError: () => {},
    });
    const filling = p.fill();
    await expect.poll(() => launched).toBe(2);
    const closing = p.close();
    open();
    expect((await closing).map((s) => s.n)).toEqual([1]);
    await filling;
    expect(discarded).toEqual([2]);
    await p.fill();
    expect(p.length).toBe(0);
    expect(launched).toBe(2);
  });
});
