// Kernel lifecycles without Docker: the real KernelManager and runner on the local-process driver.
import fs from 'node:fs';
import type { KernelMessage } from '@atrium/protocol';
import { createLogger } from '@atrium/server/logger';
import { KernelManager } from '@atrium/server/runtime/KernelManager';
import { LocalProcessDriver, localRunnerCommand } from '@atrium/server/runtime/LocalProcessDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir, waitFor } from '../harness/index.js';
import { uniqueInstance } from '../sandbox/sandboxTesting.js';

describe('kernels on the local-process driver (no Docker)', () => {
  let baseDir: string;
  let driver: LocalProcessDriver;
  let kernels: KernelManager;

  beforeAll(async () => {
    baseDir = tempDataDir('atrium-local-kernels');
    driver = new LocalProcessDriver({ baseDir, runnerCommand: localRunnerCommand });
    kernels = new KernelManager(driver, {
      instanceId: uniqueInstance(),
      runtime: 'runc',
      memoryMb: 256,
      cpus: 1,
      poolSize: 1,
      poolEager: true,
      idleTimeoutS: 600,
      executionTimeoutS: 30,
      maxKernelsPerUser: 3,
      image: () => 'local',
      log: createLogger('silent'),
    });
    await kernels.init();
  });

  afterAll(async () => {
    await kernels?.close();
    fs.rmSync(baseDir, { recursive: true, force: true });
  });

  it('serves a kernel from the warm pool and runs a cell, streaming its output', async () => {
    await waitFor(() => kernels.stats().pooled === 1, { what: 'a pooled sandbox', timeout: 60_000 });
    const kernel = await kernels.start('ada');
    expect((await driver.inspect(kernel.containerId))?.labels['atrium.purpose']).toBe('pool');
    const seen: KernelMessage[] = [];
    const reply = await kernels.execute(
      kernel.id,
      { code: 'console.log("hi from the runner"); 1 + 1' },
      (m) => seen.push(m),
    );
    expect(reply.status).toBe('ok');
    expect(seen.some((m) => m.header.msg_type === 'stream')).toBe(true);
    const result = seen.find((m) => m.header.msg_type === 'execute_result');
    expect(result?.content).toMatchObject({ data: { 'text/plain': '2' } });
    // The pool refills behind the handed-out sandbox.
    await waitFor(() => kernels.stats().pooled === 1, { what: 'the pool refilled', timeout: 60_000 });
    await kernels.shutdown(kernel.id);
  });

  it('interrupts a busy loop and the kernel runs the next cell', async () => {
    const kernel = await kernels.start('ada', { key: 'busy' });
    const running = kernels.execute(kernel.id, { code: 'while (true) {}' });
    await waitFor(() => kernel.session.state === 'busy', { what: 'the loop running' });
    await kernels.interrupt(kernel.id);
    expect((await running).status).toBe('error');
    expect((await kernels.execute(kernel.id, { code: '40 + 2' })).status).toBe('ok');
    await kernels.shutdown(kernel.id);
  });

  it('notices a sandbox that dies, with the reason, and removes it', async () => {
    const kernel = await kernels.start('bob', { key: 'doomed' });
    expect((await driver.inspect(kernel.containerId))?.running).toBe(true);
    const running = kernels.execute(kernel.id, { code: 'process.kill(process.ppid, "SIGTERM")' });
    await waitFor(() => kernel.session.state === 'dead', { what: 'the kernel dead' });
    expect((await running).status).toBe('error');
    expect(kernels.view(kernel)).toMatchObject({ state: 'dead', reason: 'exited with code 143' });
    await waitFor(async () => (await driver.inspect(kernel.containerId)) === null, {
      what: 'its sandbox removed',
    });
  });

  it('removes what an earlier run of the same instance left', async () => {
    const options = { instanceId: uniqueInstance() };
    const left = await driver.create({
      name: `${options.instanceId}-left`,
      image: 'local',
      runtime: 'runc',
      memoryMb: 64,
      cpus: 1,
      command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      env: {},
      labels: { 'atrium.instance': options.instanceId },
    });
    await driver.start(left);
    const next = new KernelManager(driver, {
      ...options,
      runtime: 'runc',
      memoryMb: 256,
      cpus: 1,
      poolSize: 0,
      poolEager: false,
      idleTimeoutS: 600,
      executionTimeoutS: 30,
      maxKernelsPerUser: 3,
      image: () => 'local',
      log: createLogger('silent'),
    });
    expect((await next.init()).removed).toBe(1);
    expect(await driver.inspect(left)).toBeNull();
    await next.close();
  });
});
