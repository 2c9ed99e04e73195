import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import { createKubernetesDriver } from '@atrium/server/runtime/kubernetes/createKubernetesDriver';
import { LocalProcessDriver, localRunnerCommand } from '@atrium/server/runtime/LocalProcessDriver';
import type { SandboxDriver, SandboxEvent, SandboxSpec } from '@atrium/server/runtime/SandboxDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDocker, waitFor } from '../harness/index.js';
import { FakeKubernetesApi } from './kubernetes/FakeKubernetesApi.js';
import { ensureImage, RUNTIMES, uniqueInstance } from './sandboxTesting.js';

/**
 * The SandboxDriver contract (DESIGN.md §5.7), run against every driver: Docker under runc and runsc
 * (real Docker; skipped only when it is absent), Kubernetes against the fake API server (whose pods
 * are local processes) and the local-process driver (no isolation; for lifecycle tests without Docker).
 */
interface DriverUnderTest {
  driver: SandboxDriver;
  image: string;
  runtime: SandboxSpec['runtime'];
  /** The node binary inside the sandbox. */
  node: string;
  /** Cuts the driver's events stream, as an engine restart or an API server's watch timeout would. */
  dropEvents(): Promise<void>;
  close(): Promise<void>;
}

const log = createLogger('silent');
const NODE = '/usr/local/bin/node';

const docker = (runtime: SandboxSpec['runtime']) => async (): Promise<DriverUnderTest> => {
  const driver = new DockerDriver(log);
  const streams = (driver as unknown as { eventStreams: Set<{ destroy: () => void }> }).eventStreams;
  return {
    driver,
    image: ensureImage(),
    runtime,
    node: NODE,
    async dropEvents() {
      await waitFor(() => streams.size === 1, { what: 'the events stream to open' });
      for (const s of streams) s.destroy();
    },
    close: async () => {},
  };
};

const kubernetesOnFake = async (): Promise<DriverUnderTest> => {
  const api = await new FakeKubernetesApi({ token: 'contract-token' }).start();
  const volumesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-k8s-volumes-'));
  const driver = createKubernetesDriver(log, {
    kubeconfig: api.writeKubeconfig(),
    namespace: undefined,
    gvisorRuntimeClass: 'gvisor',
    activeDeadlineSeconds: 3600,
    volumesClaim: 'atrium-volumes',
    volumesDir,
    pollMs: 20,
  });
  return {
    driver,
    image: 'atrium-sandbox:fake',
    runtime: 'runc',
    node: NODE,
    async dropEvents() {
      await waitFor(() => api.openWatches > 0, { what: 'the pod watch to open' });
      api.dropWatches();
    },
    async close() {
      await api.stop();
      fs.rmSync(volumesDir, { recursive: true, force: true });
    },
  };
};

const localProcesses = async (): Promise<DriverUnderTest> => {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-local-driver-'));
  return {
    driver: new LocalProcessDriver({ baseDir, runnerCommand: localRunnerCommand }),
    image: 'none',
    runtime: 'runc',
    node: process.execPath,
    // Its events come from the child processes themselves: there is no stream to drop.
    dropEvents: async () => {},
    close: async () => fs.rmSync(baseDir, { recursive: true, force: true }),
  };
};

const dockerPresent = hasDocker();
const implementations: [string, () => Promise<DriverUnderTest>, boolean][] = [
  ...RUNTIMES.map((r): [string, () => Promise<DriverUnderTest>, boolean] => [
    `Docker (${r})`,
    docker(r),
    dockerPresent,
  ]),
  ['Kubernetes (fake API server)', kubernetesOnFake, true],
  ['local processes', localProcesses, true],
];

/** Echoes each stdin line as `out:<line>` on stdout and `err:<line>` on stderr; `exit N` exits with N. */
const ECHO = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const exit = /^exit (\\d+)$/.exec(line);
  if (exit) process.exit(Number(exit[1]));
  if (line === 'env') process.stdout.write(JSON.stringify({ HOME: process.env.HOME, USER: process.env.USER, GREETING: process.env.GREETING }) + '\\n');
  else if (line.startsWith('flood ')) {
    const total = Number(line.slice(6)); let i = 0;
    const block = () => { let b = ''; for (let n = 0; n < 1000 && i < total; n++) b += String(i++).padStart(9, '0') + '\\n'; return b; };
    const more = () => { while (i < total) { if (!process.stdout.write(block())) return process.stdout.once('drain', more); } };
    more();
  } else { process.stdout.write('out:' + line + '\\n'); process.stderr.write('err:' + line + '\\n'); }
});`;

const collect = (stream: Readable) => {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
};

describe.each(implementations)('the SandboxDriver contract: %s', (_name, make, present) => {
  let t: DriverUnderTest;
  const instance = uniqueInstance();
  const labels = { 'atrium.instance': instance };
  let serial = 0;
  const spec = (extra: Partial<SandboxSpec> = {}): SandboxSpec => ({
    name: `atrium-${instance}-c${serial++}`,
    image: t.image,
    runtime: t.runtime,
    memoryMb: 256,
    cpus: 0.5,
    command: [t.node, '-e', ECHO],
    env: { GREETING: 'hello' },
    labels,
    ...extra,
  });
  /** Removes what an earlier (possibly failed) test left under these labels. */
  const clean = async () => {
    for (const c of await t.driver.list(labels)) await t.driver.remove(c.id);
  };
  /** create → attach → start, as the kernel manager does. */
  const launch = async (extra: Partial<SandboxSpec> = {}) => {
    const id = await t.driver.create({ ...spec(), ...extra });
    const channel = await t.driver.attach(id);
    await t.driver.start(id);
    return { id, channel };
  };

  beforeAll(async () => {
    if (present) t = await make();
  });

  afterAll(async () => {
    if (!t) return;
    for (const c of await t.driver.list(labels)) await t.driver.remove(c.id);
    for (const v of await t.driver.listVolumes(labels)) await t.driver.removeVolume(v);
    await t.close();
  });

  it.runIf(present)('answers a ping', async () => {
    // The driver's own ping gives up after 2 s; a loaded engine may miss one, never all.
    expect(
      await waitFor(() => t.driver.ping(), { what: 'the engine to answer a ping', timeout: 30_000 }),
    ).toBe(true);
  });

  it.runIf(present)(
    'carries stdin to the sandbox and its stdout and stderr back apart, then its exit code',
    async () => {
      const { id, channel } = await launch();
      const out = collect(channel.output);
      const err = collect(channel.errors);
      channel.input.write('first\nsecond\n');
      await waitFor(() => out() === 'out:first\nout:second\n' && err() === 'err:first\nerr:second\n', {
        what: 'both lines echoed on both streams',
        timeout: 30_000,
      });
      channel.input.write('exit 3\n');
      await channel.ended;
      const info = await waitFor(
        async () => {
          const i = await t.driver.inspect(id);
          return i && !i.running ? i : undefined;
        },
        { what: 'the sandbox to be seen exited', timeout: 30_000 },
      );
      expect(info.exitCode).toBe(3);
      expect(info.oomKilled).toBe(false);
      await t.driver.remove(id);
    },
  );

  it.runIf(present)('keeps what the sandbox writes as it starts, before any input', async () => {
    // A Space app's runner announces itself at once; a pod runs before the attach (kubernetes/README.md).
    const { id, channel } = await launch({
      command: [t.node, '-e', `process.stdout.write('early\\n'); ${ECHO}`],
    });
    const out = collect(channel.output);
    await waitFor(() => out() === 'early\n', { what: 'the line written at start', timeout: 30_000 });
    channel.input.write('later\n');
    await waitFor(() => out() === 'early\nout:later\n', { what: 'the echo after it', timeout: 30_000 });
    channel.close();
    await t.driver.remove(id);
  });

  it.runIf(present)('gives the sandbox HOME=/tmp, USER=sandbox and the spec environment', async () => {
    const { id, channel } = await launch();
    const out = collect(channel.output);
    channel.input.write('env\n');
    const line = await waitFor(() => out().split('\n')[0] || undefined, {
      what: 'the environment line',
      timeout: 30_000,
    });
    expect(JSON.parse(line)).toEqual({ HOME: '/tmp', USER: 'sandbox', GREETING: 'hello' });
    channel.close();
    await t.driver.remove(id);
  });

  it.runIf(present)('delivers 5 MB of output complete and in order to a slow reader', async () => {
    const { id, channel } = await launch();
    const lines = 500_000; // 10 bytes each
    let received = '';
    let expected = 0;
    let inOrder = true;
    channel.output.on('data', (c: Buffer) => {
      received += c.toString('utf8');
      const cut = received.lastIndexOf('\n');
      for (const l of received.slice(0, cut).split('\n').filter(Boolean))
        if (Number(l) !== expected++) inOrder = false;
      received = received.slice(cut + 1);
      // A reader that stops now and then: the driver must hold the output back, not drop it.
      channel.output.pause();
      setImmediate(() => channel.output.resume());
    });
    try {
      channel.input.write(`flood ${lines}\n`);
      await waitFor(() => expected >= lines, {
        what: 'every line of the flood',
        timeout: 60_000,
        interval: 50,
      });
      expect(expected).toBe(lines);
      expect(inOrder).toBe(true);
    } finally {
      channel.close();
      await t.driver.remove(id);
    }
  });

  it.runIf(present)('lists only sandboxes carrying every label, with the labels as given', async () => {
    await clean();
    const space = { ...labels, 'atrium.space': 'alice/sentiment' };
    const a = await t.driver.create(spec({ labels: space }));
    const b = await t.driver.create(spec());
    const listed = await t.driver.list(space);
    expect(listed.map((s) => s.id)).toEqual([a]);
    expect(listed[0]?.labels).toMatchObject(space);
    expect((await t.driver.list(labels)).map((s) => s.id).sort()).toEqual([a, b].sort());
    expect(await t.driver.list({ 'atrium.instance': uniqueInstance() })).toEqual([]);
    await t.driver.remove(a);
    await t.driver.remove(b);
  });

  it.runIf(present)('removes a sandbox whatever its state, and a missing one is not an error', async () => {
    const { id, channel } = await launch();
    await t.driver.remove(id);
    await channel.ended;
    expect(await t.driver.inspect(id)).toBeNull();
    expect((await t.driver.list(labels)).map((s) => s.id)).not.toContain(id);
    await t.driver.remove(id);
  });

  it.runIf(present)('replaces a stale sandbox holding the name with a fresh one', async () => {
    await clean();
    const stale = spec();
    const first = await launch(stale);
    const second = await t.driver.create(stale);
    // The stale one is gone (its channel ends); a Kubernetes pod keeps its name as its id, Docker gives a new id.
    await first.channel.ended;
    expect((await t.driver.list(labels)).map((s) => s.id)).toEqual([second]);
    const channel = await t.driver.attach(second);
    await t.driver.start(second);
    const out = collect(channel.output);
    channel.input.write('fresh\n');
    await waitFor(() => out() === 'out:fresh\n', { what: 'the new sandbox to answer', timeout: 30_000 });
    channel.close();
    await t.driver.remove(second);
  });

  it.runIf(present)(
    'reports start and die with the exit code, also after the events stream drops',
    async () => {
      const events: SandboxEvent[] = [];
      const stop = t.driver.events(labels, (e) => events.push(e));
      try {
        const first = await launch();
        await waitFor(() => events.find((e) => e.id === first.id && e.action === 'start'), {
          what: 'a start event',
          timeout: 30_000,
        });
        await t.dropEvents();
        // While the stream is down: a sandbox starts and exits with 7. It must still be reported.
        const second = await launch();
        second.channel.input.write('exit 7\n');
        const died = await waitFor(() => events.find((e) => e.id === second.id && e.action === 'die'), {
          what: 'a die event after the drop',
          timeout: 30_000,
        });
        expect(died.exitCode).toBe(7);
        expect(died.labels).toMatchObject(labels);
        first.channel.close();
        await t.driver.remove(first.id);
        await t.driver.remove(second.id);
      } finally {
        stop();
      }
    },
  );

  it.runIf(present)('makes, lists and removes labelled volumes', async () => {
    const volumeLabels = { ...labels, 'atrium.purpose': 'models' };
    const name = `atrium-models-${instance.slice(5)}`;
    const volume = await t.driver.createVolume(name, volumeLabels);
    expect(volume.name).toBe(name);
    expect(volume.mountpoint).toBeTruthy();
    expect(await t.driver.listVolumes(volumeLabels)).toEqual([name]);
    await t.driver.removeVolume(name);
    expect(await t.driver.listVolumes(volumeLabels)).toEqual([]);
    await t.driver.removeVolume(name);
  });
});
