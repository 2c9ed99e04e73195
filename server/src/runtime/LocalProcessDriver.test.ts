import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalProcessDriver } from './LocalProcessDriver.js';
import type { SandboxEvent, SandboxSpec } from './SandboxDriver.js';

let baseDir: string | undefined;
afterEach(() => {
  if (baseDir) fs.rmSync(baseDir, { recursive: true, force: true });
  baseDir = undefined;
});

const driverAndEvents = () => {
  baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-local-unit-'));
  const driver = new LocalProcessDriver({ baseDir, runnerCommand: () => [process.execPath] });
  const events: SandboxEvent[] = [];
  driver.events({}, (e) => events.push(e));
  return { driver, events };
};

const spec = (command: string[]): SandboxSpec => ({
  name: `local-${Math.random().toString(16).slice(2)}`,
  image: 'none',
  runtime: 'runc',
  memoryMb: 64,
  cpus: 1,
  command,
  env: {},
  labels: {},
});

describe('LocalProcessDriver', () => {
  it('fails start of a command that does not exist, ends its channel and reports it died with 127', async () => {
    const { driver, events } = driverAndEvents();
    const id = await driver.create(spec(['/nonexistent/atrium-runner']));
    const channel = await driver.attach(id);
    await expect(driver.start(id)).rejects.toThrow(/could not start: .*ENOENT/);
    await channel.ended;
    expect(await driver.inspect(id)).toMatchObject({ running: false, exitCode: 127 });
    expect(events.map((e) => e.action)).toEqual(['die']);
    await driver.remove(id);
  });

  it('ends the channel only once the output has all been handed over', async () => {
    const { driver } = driverAndEvents();
    const big = 4 * 1024 * 1024;
    const id = await driver.create(
      spec([process.execPath, '-e', `process.stdout.write('x'.repeat(${big}))`]),
    );
    const channel = await driver.attach(id);
    let received = 0;
    channel.output.on('data', (c: Buffer) => {
      received += c.length;
    });
    await driver.start(id);
    await channel.ended;
    // Everything the process wrote is in the output stream, which was ended after it.
    expect((channel.output as PassThrough).writableEnded).toBe(true);
    if (!channel.output.readableEnded) await new Promise((resolve) => channel.output.once('end', resolve));
    expect(received).toBe(big);
    await driver.remove(id);
  });
});
