import { execFileSync } from 'node:child_process';
import type { KernelView } from '@atrium/protocol';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import type { SandboxEvent } from '@atrium/server/runtime/SandboxDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasDocker,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../harness/index.js';
import {
  containersOf,
  dockerInspect,
  ensureImage,
  execute,
  RUNTIMES,
  sleep,
  startKernel,
  startSandboxServer,
  uniqueInstance,
} from './sandboxTesting.js';

const docker = hasDocker();

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.runIf(docker).each(RUNTIMES)('kernel lifecycle under %s', (runtime) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer(runtime, {
      sandboxPoolSize: 1,
      sandboxPoolEager: true,
      kernelIdleTimeoutS: 3,
    });
    user = await createUser(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps a warm pool and serves a kernel from it', async () => {
    await until(
      'a pooled sandbox',
      () => server.services.runtime.kernels.stats().pooled === 1 || undefined,
      30_000,
    );
    const started = performance.now();
    const kernel = await startKernel(server.url, bearer(user.token));
    expect((await execute(server.url, bearer(user.token), kernel.id, '1 + 1')).result?.['text/plain']).toBe(
      '2',
    );
    expect(performance.now() - started).toBeLessThan(runtime === 'runc' ? 300 : 600);
    expect(dockerInspect(kernel.containerId).Config.Labels['atrium.purpose']).toBe('pool');
    // The pool refills behind it.
    await until(
      'the pool to refill',
      () => server.services.runtime.kernels.stats().pooled === 1 || undefined,
      30_000,
    );
    await fetch(`${server.url}/api/kernels/${kernel.id}`, { method: 'DELETE', headers: bearer(user.token) });
  });

  it('reuses the kernel of the same key', async () => {
    const post = (key: string) =>
      fetch(`${server.url}/api/kernels`, {
        method: 'POST',
        headers: { ...bearer(user.token), 'content-type': 'application/json' },
        body: JSON.stringify({ key }),
      }).then((r) => r.json() as Promise<KernelView>);
    const a = await post('notebook-1');
    const b = await post('notebook-1');
    const c = await post('notebook-2');
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
    // Concurrent starts with one key share a single kernel.
    const [d, e] = await Promise.all([post('notebook-3'), post('notebook-3')]);
    expect(d.id).toBe(e.id);
  });

  it('notices a container that dies and reports why', async () => {
    const kernel = await startKernel(server.url, bearer(user.token));
    execFileSync('docker', ['kill', '--signal', 'KILL', kernel.containerId], { stdio: 'ignore' });
    const dead = await until(
      'the kernel to be reported dead',
      async () => {
        const view = (await (
          await fetch(`${server.url}/api/kernels/${kernel.id}`, { headers: bearer(user.token) })
        ).json()) as KernelView;
        return view.state === 'dead' ? view : undefined;
      },
      2000,
    );
    // Docker reports a SIGKILL as exit 137, which is also what the OOM killer leaves.
    expect(dead.reason).toMatch(/out of memory|exited/);
    const run = await execute(server.url, bearer(user.token), kernel.id, '1');
    expect(run.error?.ename).toBe('KernelDied');
    await until('the dead container to be removed', () =>
      containersOf(server.services.runtime.instanceId).includes(kernel.containerId.slice(0, 12))
        ? undefined
        : true,
    );
  });

  it('culls a kernel left idle past the idle timeout', async () => {
    const kernel = await startKernel(server.url, bearer(user.token));
    await until(
      'the idle kernel to be culled',
      async () =>
        (await fetch(`${server.url}/api/kernels/${kernel.id}`, { headers: bearer(user.token) })).status ===
        404
          ? true
          : undefined,
      8000,
    );
    await until('its container to be removed', () =>
      containersOf(server.services.runtime.instanceId).includes(kernel.containerId.slice(0, 12))
        ? undefined
        : true,
    );
  });

  it('reports Docker and the image in /api/health', async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      checks: {
        docker: { ok: boolean; runtime: string };
        sandboxImage: { ok: boolean; state: string; tag: string };
      };
    };
    expect(health.checks.docker).toMatchObject({ ok: true, runtime });
    expect(health.checks.sandboxImage).toMatchObject({ ok: true, state: 'present' });
    expect(health.checks.sandboxImage.tag).toMatch(/^atrium-sandbox:[0-9a-f]{12}$/);
  });
});

describe.runIf(docker)('the Docker driver', () => {
  const driver = new DockerDriver(createLogger('silent'));
  const instance = uniqueInstance();
  const labels = { 'atrium.instance': instance };
  let image: string;

  beforeAll(() => {
    image = ensureImage();
  });

  afterAll(async () => {
    for (const c of await driver.list(labels)) await driver.remove(c.id);
  });

  const spec = (name: string) => ({
    name,
    image,
    runtime: 'runc' as const,
    memoryMb: 256,
    cpus: 0.5,
    env: {},
    labels,
  });

  it('removes a stale container holding the name before starting a new one', async () => {
    const name = `atrium-${instance}-stale`;
    const first = await driver.create(spec(name));
    const second = await driver.create(spec(name));
    expect(second).not.toBe(first);
    expect(await driver.inspect(first)).toBeNull();
    expect((await driver.list(labels)).map((c) => c.id)).toEqual([second]);
  });

  it('keeps following events after the events stream drops', async () => {
    const events: SandboxEvent[] = [];
    const stop = driver.events(labels, (e) => events.push(e));
    await sleep(300);
    // Cut the stream under it, as a dockerd restart would; the driver must reconnect by itself.
    const streams = (driver as unknown as { eventStreams: Set<{ destroy: () => void }> }).eventStreams;
    expect(streams.size).toBe(1);
    const [cut] = [...streams];
    cut?.destroy();
    // A container started while the stream is down must still be reported.
    const before = events.length;
    const id = await driver.create(spec(`atrium-${instance}-events`));
    await driver.start(id);
    await until('a start event', () => events.find((e) => e.id === id && e.action === 'start'));
    expect(streams.size).toBe(1);
    expect([...streams][0]).not.toBe(cut);
    expect(events.length).toBeGreaterThan(before);
    stop();
  });
});

describe.runIf(docker)('start-up without Docker', () => {
  it('listens at once and reports sandboxes as degraded', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///tmp/atrium-no-docker-here.sock';
    const started = performance.now();
    const server = await startTestServer({ instanceId: uniqueInstance() });
    try {
      const res = await fetch(`${server.url}/api/health`);
      expect(performance.now() - started).toBeLessThan(3000);
      const body = (await res.json()) as { status: string; checks: { docker: { ok: boolean } } };
      expect(res.status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.checks.docker.ok).toBe(false);
      const user = await createUser(server.url);
      const start = await fetch(`${server.url}/api/kernels`, {
        method: 'POST',
        headers: { ...bearer(user.token), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(start.status).toBe(503);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      await server.stop();
    }
  });
});
