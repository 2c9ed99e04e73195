import { CloseCode, STREAM_CLOSE_EVENT } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Client, connectClient, synced, until } from '../collab/collabClients.js';
import { bearer, createUser, hasDocker, type TestServer, uniqueName } from '../harness/index.js';
import { createNotebook, kernelCall, notebookOf, streamText } from '../notebook/notebookClient.js';
import {
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from '../sandbox/sandboxTesting.js';
import { logInAgain, logOut, removeCollaborator, revokeToken, setCollaborator } from './accessChanges.js';
import { readEventStream } from './eventStreams.js';

// A generous tripwire for a hang; the figure (goal ≤ 1 s) is measured in bench/access.
const CLOSE_WITHIN_MS = 5_000;

/** A kernel channels socket, opened, with the close it eventually gets. */
async function openChannels(server: TestServer, kernelId: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels`, {
    headers,
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen in time`)), ms),
    ),
  ]);

describe.runIf(hasDocker()).each(RUNTIMES)('kernels follow access under %s', (runtime) => {
  let server: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer(runtime);
    await createUser(server.url);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('closes a kernel channels socket with SessionEnded when its session signs out, and one opened with a token when the token is revoked', async () => {
    const user = await createUser(server.url);
    const laptop = await logInAgain(server.url, user);
    const kernel = await startKernel(server.url, bearer(user.token));
    const bySession = await openChannels(server, kernel.id, { cookie: user.cookie });
    const byToken = await openChannels(server, kernel.id, bearer(user.token));

    await logOut(server.url, user);
    expect(await within(bySession.closed, CLOSE_WITHIN_MS, 'the session socket closing')).toMatchObject({
      code: CloseCode.SessionEnded,
    });
    expect(byToken.ws.readyState).toBe(WebSocket.OPEN);

    await revokeToken(server.url, laptop);
    expect(await within(byToken.closed, CLOSE_WITHIN_MS, 'the token socket closing')).toMatchObject({
      code: CloseCode.AccessRevoked,
    });
  });

  it('ends an execute stream with the close event when its token is revoked mid-run; the kernel lives on', async () => {
    const user = await createUser(server.url);
    const kernel = await startKernel(server.url, bearer(user.token));
    const res = await fetch(`${server.url}/api/kernels/${kernel.id}/execute`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        code: 'for (let i = 0; i < 30; i++) { console.log(`tick ${i}`); await new Promise((r) => setTimeout(r, 100)); }',
      }),
    });
    const stream = readEventStream(res);
    await until(() => stream.events.some((e) => e.event === 'stream'), 30_000, 'the first tick');

    await revokeToken(server.url, user);
    await until(() => stream.ended, CLOSE_WITHIN_MS, 'the stream ending');
    expect(stream.events.at(-1)).toEqual({
      event: STREAM_CLOSE_EVENT,
      data: { code: CloseCode.AccessRevoked, reason: expect.any(String) },
    });
    const again = await execute(server.url, user.sessionHeaders, kernel.id, '6 * 7');
    expect(again.result?.['text/plain']).toBe('42');
  });

  it('drops the queued cells of a collaborator who was removed and interrupts their running one; the owner’s cells run on', async () => {
    const owner = await createUser(server.url);
    const other = await createUser(server.url);
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf([
        'for (let i = 0; ; i++) { console.log(`tick ${i}`); await new Promise((r) => setTimeout(r, 100)); }',
        'console.log("theirs, queued")',
        'console.log("the owner’s")',
      ]),
    });
    await setCollaborator(server.url, owner, 'notebook', id, other.name, 'write');
    const watcher = connectClient(server, `notebooks/${id}`, { token: owner.token });
    clients.push(watcher);
    await synced(watcher);
    expect((await kernelCall(server.url, other.token, id, 'run', { cells: ['c0', 'c1'] })).status).toBe(202);
    await until(() => streamText(watcher.doc, 'c0').includes('tick 1'), 60_000, 'their cell running');
    expect((await kernelCall(server.url, owner.token, id, 'run', { cells: ['c2'] })).status).toBe(202);

    await removeCollaborator(server.url, owner, 'notebook', id, other.name);
    // Their cell never ends by itself: the owner's running after it in the one kernel means it was interrupted.
    await until(() => streamText(watcher.doc, 'c2').includes('the owner’s'), 30_000, 'the owner’s cell');
    expect(streamText(watcher.doc, 'c1')).toBe('');
    expect((await kernelCall(server.url, other.token, id, 'run', { cells: ['c1'] })).status).toBe(403);
  });
});
