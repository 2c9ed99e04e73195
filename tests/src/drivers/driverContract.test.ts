// One contract for every SandboxDriver: the Docker driver on the real engine, and the local-process
// driver (no isolation, for lifecycle tests without Docker). Each case uses only the interface.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_PATH_IN_IMAGE } from '@atrium/sandbox/image/collectImageFiles';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import { LocalProcessDriver, localRunnerCommand } from '@atrium/server/runtime/LocalProcessDriver';
import type { SandboxDriver, SandboxEvent, SandboxSpec } from '@atrium/server/runtime/SandboxDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDocker, waitFor } from '../harness/index.js';
import { ensureImage, uniqueInstance } from '../sandbox/sandboxTesting.js';

interface DriverUnderTest {
  name: string;
  available: boolean;
  make: () => { driver: SandboxDriver; image: string; node: string; cleanup: () => void };
}

const drivers: DriverUnderTest[] = [
  {
    name: 'Docker',
    available: hasDocker(),
    make: () => ({
      driver: new DockerDriver(createLogger('silent')),
      image: ensureImage(),
      node: NODE_PATH_IN_IMAGE,
      cleanup: () => {},
    }),
  },
  {
    name: 'local processes',
    available: true,
    make: () => {
      const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-local-driver-'));
      return {
        driver: new LocalProcessDriver({ baseDir, runnerCommand: localRunnerCommand }),
        image: 'none',
        node: process.execPath,
        cleanup: () => fs.rmSync(baseDir, { recursive: true, force: true }),
      };
    },
  },
];

const readLine = (stream: NodeJS.ReadableStream) =>
  new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end !== -1) {
        stream.off('data', onData);
        resolve(text.slice(0, end));
      }
    };
    stream.on('data', onData);
  });

describe.each(drivers)('the sandbox driver contract: $name', ({ available, make }) => {
  let driver: SandboxDriver;
  let image: string;
  let node: string;
  let cleanup: () => void;
  const instance = uniqueInstance();
  const labels = { 'atrium.instance': instance };
  const spec = (name: string, script: string): SandboxSpec => ({
    name: `${instance}-${name}`,
    image,
    runtime: 'runc',
    memoryMb: 256,
    cpus: 1,
    command: [node, '-e', script],
    env: { GREETING: 'hello' },
    labels: { ...labels, 'atrium.purpose': name },
  });

  beforeAll(() => {
    if (!available) return;
    ({ driver, image, node, cleanup } = make());
  });
  afterAll(async () => {
    if (!available) return;
    for (const s of await driver.list(labels)) await driver.remove(s.id);
    cleanup();
  });

  it.runIf(available)('carries stdin to the process and its stdout and stderr back, apart', async () => {
    const id = await driver.create(
      spec(
        'echo',
        `process.stderr.write('to errors\\n'); process.stdin.on('data', (d) => process.stdout.write(process.env.GREETING + ' ' + d))`,
      ),
    );
    const channel = await driver.attach(id);
    const [line, error] = [readLine(channel.output), readLine(channel.errors)];
    await driver.start(id);
    channel.input.write('world\n');
    expect(await line).toBe('hello world');
    expect(await error).toBe('to errors');
    expect((await driver.inspect(id))?.running).toBe(true);
    expect((await driver.list(labels)).map((s) => s.id)).toContain(id);
    await driver.remove(id);
    await channel.ended;
    expect(await driver.inspect(id)).toBeNull();
    expect((await driver.list(labels)).map((s) => s.id)).not.toContain(id);
    await driver.remove(id); // removing a missing one is not an error
  });

  it.runIf(available)('reports an exit with its code, as an event and on inspection', async () => {
    const events: SandboxEvent[] = [];
    const stop = driver.events({ ...labels, 'atrium.purpose': 'exit' }, (e) => events.push(e));
    const id = await driver.create(spec('exit', 'process.exit(3)'));
    const channel = await driver.attach(id);
    await driver.start(id);
    await channel.ended;
    await waitFor(() => events.some((e) => e.id === id && e.action === 'die'), { what: 'a die event' });
    stop();
    expect(events.find((e) => e.action === 'die')?.exitCode).toBe(3);
    expect(await driver.inspect(id)).toMatchObject({ running: false, exitCode: 3 });
    await driver.remove(id);
  });

  it.runIf(available)('stops a running process and replaces a stale one of the same name', async () => {
    const first = await driver.create(spec('named', 'setInterval(() => {}, 1000)'));
    await driver.attach(first);
    await driver.start(first);
    await driver.stop(first, 1);
    expect((await driver.inspect(first))?.running).toBe(false);
    const second = await driver.create(spec('named', 'setInterval(() => {}, 1000)'));
    expect(second).not.toBe(first);
    expect(await driver.inspect(first)).toBeNull();
    await driver.remove(second);
  });

  it.runIf(available)('makes, lists by label and removes volumes', async () => {
    const name = `${instance}-volume`;
    const volume = await driver.createVolume(name, labels);
    expect(volume.name).toBe(name);
    expect(await driver.listVolumes(labels)).toEqual([name]);
    await driver.removeVolume(name);
    expect(await driver.listVolumes(labels)).toEqual([]);
    await driver.removeVolume(name);
  });
});
