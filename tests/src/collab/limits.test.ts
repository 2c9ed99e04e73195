import { CloseCode } from '@atrium/protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, startTestServer, type TestServer, type TestUser, waitFor } from '../harness/index.js';
import { makeRepo } from './collabClients.js';

let server: TestServer;
let owner: TestUser;
let doc: string;

beforeAll(async () => {
  server = await startTestServer({ collabDocMaxBytes: 256 * 1024 });
  await createUser(server.url);
  owner = await createUser(server.url);
  doc = `spaces/${await makeRepo(server, owner, 'space')}`;
});
afterAll(async () => {
  await server.stop();
});

/** Opens a raw socket, sends frames as fast as allowed, resolves with the close code and reason. */
function sendUntilClosed(
  frames: () => Uint8Array,
  headers: Record<string, string> = {},
  max = 1_000,
): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${doc}`, { headers });
    ws.on('open', async () => {
      for (let i = 0; i < max && ws.readyState === WebSocket.OPEN; i++) {
        ws.send(frames());
        await new Promise((r) => setImmediate(r));
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    setTimeout(() => reject(new Error('not closed')), 20_000);
  });
}

// Sync step 1 carrying a valid state vector of 1,000 clients (about 4 KB).
const bigStep1 = (() => {
  const sv = encoding.createEncoder();
  encoding.writeVarUint(sv, 1000);
  for (let i = 0; i < 1000; i++) {
    encoding.writeVarUint(sv, 1_000_000 + i);
    encoding.writeVarUint(sv, 0);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(sv));
  return encoding.toUint8Array(e);
})();

describe('limits', () => {
  it('closes an unauthenticated socket that sends more than its quota with UnauthenticatedQuota', async () => {
    const closed = await sendUntilClosed(() => bigStep1);
    expect(closed.code).toBe(CloseCode.UnauthenticatedQuota);
    expect(closed.reason).toMatch(/sign in/);
  });

  it('lets a signed-in client send the same without limit', async () => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${doc}`, {
      headers: { cookie: owner.cookie },
    });
    let answers = 0;
    ws.on('message', (d: Buffer) => {
      if (d[0] === 0 && d[1] === 1) answers++;
    });
    await new Promise((r) => ws.on('open', r));
    for (let i = 0; i < 100; i++) ws.send(bigStep1);
    await waitFor(() => answers >= 100, { what: 'an answer to each of 100 sync steps', timeout: 30_000 });
    expect(answers).toBe(100);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('closes a frame over 16 MiB with FrameTooLarge', async () => {
    const closed = await sendUntilClosed(
      () => new Uint8Array(16 * 1024 * 1024 + 1),
      { cookie: owner.cookie },
      1,
    );
    expect(closed.code).toBe(CloseCode.FrameTooLarge);
  });

  it('refuses an update that would grow the document past its cap with DocumentTooLarge', async () => {
    const Y = await import('yjs');
    const big = new Y.Doc();
    big.getText('t').insert(0, 'x'.repeat(300 * 1024));
    const update = Y.encodeStateAsUpdate(big);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
    const closed = await sendUntilClosed(() => encoding.toUint8Array(e), { cookie: owner.cookie }, 1);
    expect(closed.code).toBe(CloseCode.DocumentTooLarge);
  });
});
