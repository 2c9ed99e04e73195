import { createHmac } from 'node:crypto';
import { KernelMime, type KernelView } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bearer, createUser, hasDocker, type TestUser } from '../harness/index.js';
import {
  channelWriterCell,
  type KeyTap,
  sandboxHealth,
  spawnSandboxServer,
  startKeyTap,
  stopServer,
  type WatchedServer,
} from './hostileTesting.js';
import { ensureImage, execute, RUNTIMES, startKernel } from './sandboxTesting.js';

const docker = hasDocker();

/** What the server says when a sandbox's line passes the channel's limit (64 MiB). */
const LONG_LINE_REASON = 'the sandbox wrote a line longer than 64 MiB';

describe.runIf(docker).each(RUNTIMES)('hostile kernels and kernel sockets under %s', (runtime) => {
  let tap: KeyTap;
  let server: WatchedServer;
  let alice: TestUser;
  let honest: KernelView;
  const as = () => bearer(alice.token);

  beforeAll(async () => {
    ensureImage();
    tap = await startKeyTap();
    server = await spawnSandboxServer(runtime, { DOCKER_HOST: `unix://${tap.socketPath}` });
    alice = await createUser(server.url);
    honest = await startKernel(server.url, as());
  });

  afterAll(async () => {
    await stopServer(server);
    await tap?.close();
  });

  /**
   * The server is still the same process, answers, and the honest kernel still computes; and the
   * failure was contained where it happened, not only by the process's last-resort handlers.
   */
  async function expectServerAndHonestKernelFine(): Promise<void> {
    expect(server.child.exitCode).toBeNull();
    expect(server.escapes).toEqual([]);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const run = await execute(server.url, as(), honest.id, '6 * 7');
    expect(run.result?.['text/plain']).toBe('42');
  }

  it('ends only the kernel whose cell writes 600 MB with no newline onto the channel, with the reason', async () => {
    const victim = await startKernel(server.url, as());
    const run = await execute(
      server.url,
      as(),
      victim.id,
      channelWriterCell(`
const chunk = Buffer.alloc(1 << 20, 0x78);
for (let i = 0; i < 600; i++) write(chunk);
'all written'`),
    );
    expect(run.error).toMatchObject({ ename: 'KernelDied', evalue: LONG_LINE_REASON });
    const view = (await (
      await fetch(`${server.url}/api/kernels/${victim.id}`, { headers: as() })
    ).json()) as KernelView;
    expect(view).toMatchObject({ state: 'dead', reason: LONG_LINE_REASON });
    expect((await sandboxHealth(server.url)).sandboxOutput?.oversized).toBeGreaterThanOrEqual(1);
    await expectServerAndHonestKernelFine();
  }, 180_000);

  it('drops a correctly signed line with no header, and the cell that wrote it finishes normally', async () => {
    const victim = await startKernel(server.url, as());
    const key = tap.keyOf(victim.containerId);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const before = (await sandboxHealth(server.url)).sandboxOutput?.dropped ?? 0;
    const sign = (json: string) =>
      createHmac('sha256', Buffer.from(key ?? '', 'hex'))
        .update(json)
        .digest('hex');
    const lines = [
      '{"parent_header":{},"content":{}}',
      '{"header":null,"parent_header":null}',
      '{"header":{"msg_id":"x","msg_type":"status"},"parent_header":{},"content":{"execution_state":"idle"}}',
      '{"header":{"msg_id":"x","msg_type":"no_such_type"},"parent_header":{"msg_id":"x"},"content":{}}',
      '[1,2,3]',
      'null',
    ]
      .map((json) => `${sign(json)} ${json}\n`)
      .join('');
    const run = await execute(
      server.url,
      as(),
      victim.id,
      channelWriterCell(`write(${JSON.stringify(lines)}); 'still here'`),
    );
    expect(run.reply?.status).toBe('ok');
    expect(run.result?.['text/plain']).toBe("'still here'");
    const after = (await sandboxHealth(server.url)).sandboxOutput?.dropped ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(5);
    expect((await execute(server.url, as(), victim.id, '1 + 1')).result?.['text/plain']).toBe('2');
    await expectServerAndHonestKernelFine();
  });

  it("keeps the runner's memory out of reach of cell code", async () => {
    const run = await execute(
      server.url,
      as(),
      honest.id,
      `const fs = require('fs');
       const attempt = (p) => { try { fs.closeSync(fs.openSync(p, 'r')); return 'opened'; } catch (e) { return e.code; } };
       const runner = '/proc/' + process.ppid;
       ({ mem: attempt(runner + '/mem'), environ: attempt(runner + '/environ'), fd0: attempt(runner + '/fd/0') })`,
    );
    const facts = run.result?.[KernelMime.json] as { mem: string; environ: string; fd0: string };
    expect(facts.mem).toBe('EACCES');
    // runc: the non-dumpable runner's /proc files belong to root; gVisor only guards mem (sandbox/README.md).
    if (runtime === 'runc') expect(facts).toEqual({ mem: 'EACCES', environ: 'EACCES', fd0: 'EACCES' });
  });

  it('closes a kernel socket that sends a frame past its limit or invalid UTF-8, and keeps serving', async () => {
    const closeCodeAfter = async (send: (ws: WebSocket) => void) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/kernels/${honest.id}/channels`, {
        headers: as(),
      });
      ws.on('error', () => {});
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      send(ws);
      return new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    };
    // ws's own codes: 1009 message too big, 1007 invalid payload data.
    expect(await closeCodeAfter((ws) => ws.send('x'.repeat(3 * 1024 * 1024)))).toBe(1009);
    expect(await closeCodeAfter((ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe]), { binary: false }))).toBe(
      1007,
    );
    await expectServerAndHonestKernelFine();
  });
});
