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
  tripwire,
  waitFor,
} from '../harness/index.js';
import {
  containersOf,
  dockerInspect,
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
  uniqueInstance,
} from './sandboxTesting.js';

const docker = hasDocker();

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
    await waitFor(() => server.services.runtime.kernels.stats().pooled === 1, {
      what: 'a pooled sandbox',
      timeout: 60_000,
    });
    const started = performance.now();
    const kernel = await startKernel(server.url, bearer(user.token));
    expect((await execute(server.url, bearer(user.token), kernel.id, '1 + 1')).result?.['text/plain']).toBe(
      '2',
    );
    // The pool's goal (≤ 100 ms to the first reply) is a bench/sandbox figure; this only catches a hang.
    expect(performance.now() - started).toBeLessThan(tripwire(runtime === 'runc' ? 300 : 600));
    expect(dockerInspect(kernel.containerId).Config.Labels['atrium.purpose']).toBe('pool');
    // The pool refills behind it.
    await waitFor(() => server.services.runtime.kernels.stats().pooled === 1, {
      what: 'the pool to refill',
      timeout: 60_000,
    });
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
    const dead = await waitFor(
      async () => {
        const view = (await (
          await fetch(`${server.url}/api/kernels/${kernel.id}`, { headers: bearer(user.token) })
        ).json()) as KernelView;
        return view.state === 'dead' ? view : undefined;
      },
      { what: 'the kernel to be reported dead', timeout: 30_000 },
    );
    // Docker reports a SIGKILL as exit 137, which is also what the OOM killer leaves.
    expect(dead.reason).toMatch(/out of memory|exited/);
    const run = await execute(server.url, bearer(user.token), kernel.id, '1');
    expect(run.error?.ename).toBe('KernelDied');
    await waitFor(
      () => !containersOf(server.services.runtime.instanceId).includes(kernel.containerId.slice(0, 12)),
      { what: 'the dead container to be removed', timeout: 30_000, interval: 200 },
    );
  });

  it('culls a kernel left idle past the idle timeout', async () => {
    const kernel = await startKernel(server.url, bearer(user.token));
    // Idle timeout 3 s: the cull itself may come late on a busy machine, never not at all.
    await waitFor(
      async () =>
        (await fetch(`${server.url}/api/kernels/${kernel.id}`, { headers: bearer(user.token) })).status ===
        404,
      { what: 'the idle kernel to be culled', timeout: 60_000 },
    );
    await waitFor(
      () => !containersOf(server.services.runtime.instanceId).includes(kernel.containerId.slice(0, 12)),
      { what: 'its container to be removed', timeout: 30_000, interval: 200 },
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
    // Cut the stream under it once it is open, as a dockerd restart would; the driver must reconnect by itself.
    const streams = (driver as unknown as { eventStreams: Set<{ destroy: () => void }> }).eventStreams;
    await waitFor(() => streams.size === 1, { what: 'the events stream to open' });
    const [cut] = [...streams];
    cut?.destroy();
    // A container started while the stream is down must still be reported.
    const before = events.length;
    const id = await driver.create(spec(`atrium-${instance}-events`));
    await driver.start(id);
    await waitFor(() => events.find((e) => e.id === id && e.action === 'start'), {
      what: 'a start event',
      timeout: 30_000,
    });
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
      // Listening must not wait on Docker: the goal (≤ 3 s, as `npm start`) is in bench/foundation.
      expect(performance.now() - started).toBeLessThan(tripwire(3000));
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
