import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestUser } from '../harness/index.js';
import {
  sandboxHealth,
  spawnSandboxServer,
  stopServer,
  type WatchedServer,
} from '../sandbox/hostileTesting.js';
import { ensureImage, RUNTIMES } from '../sandbox/sandboxTesting.js';
import { api, callApp, commitFiles, readLog, waitForStage } from './runtimeTesting.js';

/**
 * An app that answers on its own control channel: it reads the calls the runner receives (the
 * process's stdin) and writes replies of its own onto the runner's stdout before the SDK answers.
 */
const HOSTILE_APP = `import { demo, Textbox } from '@atrium/sandbox/sdk';
const say = (msg: unknown) => process.stdout.write(JSON.stringify(msg) + '\\n');
process.stdin.on('data', (chunk: Buffer) => {
  for (const line of String(chunk).split('\\n')) {
    let msg: { type?: string; id?: string; inputs?: unknown[] };
    try { msg = JSON.parse(line); } catch { continue; }
    if (msg.type !== 'call') continue;
    const what = msg.inputs?.[0];
    if (what === 'partial42') say({ type: 'partial', id: msg.id, outputs: 42 });
    if (what === 'garbage') {
      process.stdout.write('not json at all\\n{"type":"result"}\\n[]\\n{"type":"partial","id":"nobody","outputs":[]}\\n');
      say({ type: 'result', id: 'no-such-call', outputs: ['x'], durationMs: 1 });
      say({ type: 'description', id: msg.id, demo: { title: 7 } });
    }
    if (what === 'wrong-output') say({ type: 'result', id: msg.id, outputs: [{ not: 'text' }], durationMs: 1 });
    if (what === 'long-line') {
      const chunk = Buffer.alloc(1 << 20, 0x78);
      for (let i = 0; i < 100; i++) process.stdout.write(chunk);
    }
  }
});
export default demo({
  inputs: [Textbox({ name: 'x' })],
  outputs: [Textbox({ name: 'y' })],
  fn: async ({ x }: { x: string }) => {
    await new Promise((r) => setTimeout(r, 100));
    return { y: 'honest ' + x };
  },
});
`;

describe.runIf(hasDocker()).each(RUNTIMES)('a Space app writing hostile replies under %s', (runtime) => {
  let server: WatchedServer;
  let alice: TestUser;
  let id: string;

  beforeAll(async () => {
    ensureImage();
    server = await spawnSandboxServer(runtime);
    alice = await createUser(server.url);
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'hostile' },
      user: alice,
    });
    id = `${alice.name}/hostile`;
    await commitFiles(server.url, id, alice, { 'app.ts': HOSTILE_APP });
  });

  afterAll(async () => {
    await stopServer(server);
  });

  /** Waits for the hostile commit's app (the template's app may still be running first). */
  async function running(): Promise<void> {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      await waitForStage(server.url, id, ['RUNNING'], undefined, 120_000);
      if ((await callApp(server.url, id, ['ping']))[0] === 'honest ping') return;
    }
    throw new Error('the hostile app never ran');
  }

  it('drops a partial whose outputs are a number, and the call still gets its honest result', async () => {
    await running();
    const before = (await sandboxHealth(server.url)).sandboxOutput?.dropped ?? 0;
    expect(await callApp(server.url, id, ['partial42'])).toEqual(['honest partial42']);
    expect(server.child.exitCode).toBeNull();
    expect(server.escapes).toEqual([]);
    expect((await sandboxHealth(server.url)).sandboxOutput?.dropped).toBeGreaterThan(before);
  });

  it('ignores garbage, replies of the wrong shape and replies to unknown calls', async () => {
    await running();
    expect(await callApp(server.url, id, ['garbage'])).toEqual(['honest garbage']);
    expect(await callApp(server.url, id, ['after'])).toEqual(['honest after']);
    expect(server.child.exitCode).toBeNull();
    expect(server.escapes).toEqual([]);
  });

  it("fails a call whose result does not fit the demo's output components, with a clear error", async () => {
    await running();
    await expect(callApp(server.url, id, ['wrong-output'])).rejects.toThrow(
      /do not fit its output components: Output \\+"y\\+": expected text/,
    );
    expect(await callApp(server.url, id, ['next'])).toEqual(['honest next']);
    expect(server.child.exitCode).toBeNull();
    expect(server.escapes).toEqual([]);
  });

  it('stops an app that writes a line longer than the limit, as RUNTIME_ERROR with the reason in its run log', async () => {
    await running();
    await expect(callApp(server.url, id, ['long-line'])).rejects.toThrow(/stopped/);
    const stopped = await waitForStage(server.url, id, ['RUNTIME_ERROR']);
    expect(stopped.errorMessage).toMatch(/line longer than 64 MiB/);
    const log = await readLog(server.url, id, 'run', (l) => l.some((x) => x.includes('longer than 64 MiB')));
    expect(log.lines.some((l) => l.includes('the sandbox wrote a line longer than 64 MiB'))).toBe(true);
    expect(server.child.exitCode).toBeNull();
    expect(server.escapes).toEqual([]);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // The Space comes back on a restart.
    await api(server.url, `/api/spaces/${id}/restart`, { method: 'POST', user: alice });
    await running();
  }, 180_000);
});
