import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, type ServerProcess, spawnServer, tempDataDir } from '../harness/index.js';
import { type Client, connectClient, synced, until } from './collabClients.js';

const EDITS = 500;
const procs: ServerProcess[] = [];
const clients: Client[] = [];
const dataDir = tempDataDir('atrium-kill9');

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const p of procs) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it(`keeps all ${EDITS} acknowledged edits across a kill -9 of the server`, async () => {
    const first = await spawnServer(dataDir, { ATRIUM_SEED: '0' });
    procs.push(first);
    await createUser(first.url); // the instance admin
    const user = await createUser(first.url);
    const name = `crash-${Date.now().toString(36)}`;
    const created = await fetch(`${first.url}/api/repos/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook', name, private: true }),
    });
    expect(created.status).toBeLessThan(300);
    const doc = `notebooks/${user.name}/${name}`;
    const writer = connectClient(first, doc, { token: user.token });
    const observer = connectClient(first, doc, { cookie: user.cookie });
    clients.push(writer, observer);
    await Promise.all([synced(writer), synced(observer)]);

    // One transaction per keystroke; an edit is acknowledged once another client has received it,
    // which the server does only after the update is in SQLite (store-before-relay).
    const text = writer.doc.getText('t');
    for (let i = 0; i < EDITS; i++) text.insert(text.length, `<${i}>`);
    const expected = text.toString();
    await until(
      () => observer.doc.getText('t').toString() === expected,
      20_000,
      'acknowledgement of every edit',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    writer.destroy();
    observer.destroy();

    const second = await spawnServer(dataDir, { ATRIUM_SEED: '0' });
    procs.push(second);
    const reader = connectClient(second, doc, { token: user.token });
    clients.push(reader);
    await synced(reader);
    const restored = reader.doc.getText('t').toString();
    for (let i = 0; i < EDITS; i++) expect(restored).toContain(`<${i}>`);
    expect(restored).toBe(expected);
  }, 120_000);
});
