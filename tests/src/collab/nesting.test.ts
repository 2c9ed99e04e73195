import { CloseCode } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { createNotebook, notebookOf } from '../notebook/notebookClient.js';
import { closedWith, connectClient, synced } from './collabClients.js';
import { syncFrame } from './hostileFrames.js';

let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await createUser(server.url);
});
afterAll(async () => {
  await server.stop();
});

/** Nests `levels` Y.Maps under `map.x`, returning the innermost. */
function nestMaps(map: Y.Map<unknown>, levels: number): Y.Map<unknown> {
  let m = map;
  for (let i = 0; i < levels; i++) {
    const next = new Y.Map<unknown>();
    m.set('x', next);
    m = next;
  }
  return m;
}

const metadataOf = (doc: Y.Doc) =>
  (doc.getArray<Y.Map<unknown>>('cells').get(0) as Y.Map<unknown>).get('metadata') as Y.Map<unknown>;

async function exportStatus(id: string): Promise<number> {
  const res = await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(owner.token) });
  await res.arrayBuffer();
  return res.status;
}

async function saveStatus(id: string): Promise<number> {
  const res = await fetch(`${server.url}/api/collab/notebooks/${id}/save`, {
    method: 'POST',
    headers: { ...bearer(owner.token), 'content-type': 'application/json' },
    body: '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

describe('nesting depth of live documents', () => {
  it('closes a y-websocket client writing 20,000 nested maps with NestingTooDeep; export and save still work', async () => {
    const id = await createNotebook(server.url, owner, 'deep-maps', { notebook: notebookOf(['1 + 1']) });
    const attacker = connectClient(server, `notebooks/${id}`, { token: owner.token });
    await synced(attacker);
    const closed = closedWith(attacker);
    attacker.doc.transact(() => nestMaps(metadataOf(attacker.doc), 20_000));
    expect(await closed).toMatchObject({ code: CloseCode.NestingTooDeep });
    attacker.destroy();

    const reader = connectClient(server, `notebooks/${id}`, { token: owner.token });
    await synced(reader);
    expect(metadataOf(reader.doc).get('x')).toBeUndefined();
    reader.destroy();
    expect(await exportStatus(id)).toBe(200);
    expect(await saveStatus(id)).toBe(201);
  });

  it('refuses a write that hangs levels below an accepted deep chain once the total passes the limit', async () => {
    const id = await createNotebook(server.url, owner, 'deep-steps', { notebook: notebookOf(['1 + 1']) });
    const client = connectClient(server, `notebooks/${id}`, { token: owner.token });
    await synced(client);
    let innermost: Y.Map<unknown> | undefined;
    client.doc.transact(() => {
      innermost = nestMaps(metadataOf(client.doc), 90);
    });
    // Accepted: the server relays it to a second client.
    const other = connectClient(server, `notebooks/${id}`, { token: owner.token });
    await synced(other);
    const deadline = Date.now() + 10_000;
    let depth = 0;
    while (depth < 90 && Date.now() < deadline) {
      depth = 0;
      for (let m = metadataOf(other.doc).get('x'); m instanceof Y.Map; m = m.get('x')) depth++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(depth).toBe(90);
    const closed = closedWith(client);
    client.doc.transact(() => nestMaps(innermost as Y.Map<unknown>, 20));
    expect(await closed).toMatchObject({ code: CloseCode.NestingTooDeep });
    client.destroy();
    other.destroy();
    expect(await exportStatus(id)).toBe(200);
  });

  it('closes a raw socket sending a JSON value nested 20,000 deep with NestingTooDeep', async () => {
    const id = await createNotebook(server.url, owner, 'deep-json', { notebook: notebookOf(['1 + 1']) });
    // An update setting meta.v = [[7]], its inner array then deepened byte by byte to 20,000 levels.
    const doc = new Y.Doc();
    doc.getMap('meta').set('v', [[7]]);
    const update = Y.encodeStateAsUpdate(doc);
    const marker = [117, 1, 117, 1, 125, 7];
    const at = update.findIndex((_, i) => marker.every((b, j) => update[i + j] === b));
    const levels = 20_000;
    const deep = new Uint8Array(update.length - marker.length + levels * 2 + 2);
    deep.set(update.subarray(0, at));
    let p = at;
    for (let i = 0; i < levels; i++) {
      deep[p++] = 117;
      deep[p++] = 1;
    }
    deep[p++] = 125;
    deep[p++] = 7;
    deep.set(update.subarray(at + marker.length), p);

    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/notebooks/${id}`, {
      headers: bearer(owner.token),
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => {});
    await new Promise((r) => ws.on('open', r));
    ws.send(syncFrame(2, deep));
    expect(await closed).toBe(CloseCode.NestingTooDeep);
    expect(await exportStatus(id)).toBe(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
