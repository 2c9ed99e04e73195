import { describe, expect, it } from 'vitest';
import { currentThreadId, threadCpuMs } from './threadCpu.js';

describe.runIf(process.platform === 'linux')('thread CPU time', () => {
  it('counts the CPU a thread spins and not the time it waits', async () => {
    const tid = currentThreadId();
    expect(tid).toBe(process.pid); // the main thread's id is the process id
    const before = threadCpuMs(tid as number) as number;
    await new Promise((r) => setTimeout(r, 300)); // waiting uses no CPU
    const afterWait = threadCpuMs(tid as number) as number;
    expect(afterWait - before).toBeLessThan(150);
    // Spinning does, however long a loaded machine takes to give the thread 100 ms of CPU.
    const started = performance.now();
    const spun = () => (threadCpuMs(tid as number) as number) - afterWait;
    while (spun() < 100 && performance.now() - started < 30_000) {}
    expect(spun()).toBeGreaterThanOrEqual(100);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90); // CPU time never outruns the clock
  });

  it('answers null for a thread that is not ours', () => {
    expect(threadCpuMs(2 ** 30)).toBeNull();
  });
});
