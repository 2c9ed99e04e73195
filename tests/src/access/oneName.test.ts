import { NOTEBOOK_FILE } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, clientPool, connectClient, synced, until } from '../collab/collabClients.js';
import {
  bearer,
  createUser,
  hasDocker,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { cellOf, createNotebook, kernelCall, notebookOf, streamText } from '../notebook/notebookClient.js';
import { ensureImage, RUNTIMES, startSandboxServer } from '../sandbox/sandboxTesting.js';

/** A user whose name has capitals, so its case variants are easy to write. */
const mixedCaseUser = (url: string) => createUser(url, uniqueName('Case').replace('case', 'CaSe'));
const swapCase = (s: string) =>
  [...s].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');

describe('one name, one room', () => {
  let server: TestServer;
  let owner: TestUser;
  const pool = clientPool(() => server);
  const open = pool.open;
  const text = (c: Client) => c.doc.getText('t').toString();

  beforeAll(async () => {
    server = await startTestServer({ collabIdleMs: 300 });
    await createUser(server.url);
    owner = await mixedCaseUser(server.url);
  });
  afterAll(async () => {
    pool.destroy();
    await server.stop();
  });

  for (const kind of ['notebook', 'space'] as const) {
    it(`joins clients that spell a ${kind}’s name in different case to one room, where they converge`, async () => {
      const name = `${uniqueName('Doc')}`;
      const created = await fetch(`${server.url}/api/repos/create`, {
        method: 'POST',
        headers: { ...bearer(owner.token), 'content-type': 'application/json' },
        body: JSON.stringify({ type: kind, name, private: true }),
      });
      expect(created.status).toBe(200);
      const id = `${owner.name}/${name}`;
      const a = open(`${kind}s/${id}`, { cookie: owner.cookie });
      const b = open(`${kind}s/${swapCase(id)}`, { token: owner.token });
      const c = open(`${kind}s/${id.toLowerCase()}`, { token: owner.token });
      await Promise.all([synced(a), synced(b), synced(c)]);
      a.doc.getText('t').insert(0, 'A');
      b.doc.getText('t').insert(0, 'B');
      c.doc.getText('t').insert(0, 'C');
      await until(
        () => text(a).length === 3 && text(a) === text(b) && text(b) === text(c),
        10_000,
        'convergence across case variants',
      );
      const rooms = [...server.services.collab.rooms.keys()].filter(
        (r) => r.toLowerCase() === `${kind}s/${id}`.toLowerCase(),
      );
      expect(rooms).toEqual([`${kind}s/${id}`]);
    });
  }

  it('saves from either spelling into the one notebook of the repository', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('Nb'), { notebook: notebookOf(['1 + 1']) });
    const a = open(`notebooks/${id}`, { cookie: owner.cookie });
    const b = open(`notebooks/${swapCase(id)}`, { token: owner.token });
    await Promise.all([synced(a), synced(b)]);
    const source = (c: Client) =>
      cellOf(c.doc, 'c0')?.get('source') as { insert: (i: number, s: string) => void };
    source(a).insert(0, '// from a\n');
    source(b).insert(0, '// from b\n');
    await until(() => String(cellOf(a.doc, 'c0')?.get('source')).includes('from b'), 5_000, 'b’s edit at a');
    await until(() => String(cellOf(b.doc, 'c0')?.get('source')).includes('from a'), 5_000, 'a’s edit at b');

    for (const spelling of [swapCase(id), id.toLowerCase()]) {
      const saved = await fetch(`${server.url}/api/collab/notebooks/${spelling}/save`, {
        method: 'POST',
        headers: { ...bearer(owner.token), 'content-type': 'application/json' },
        body: JSON.stringify({ message: `save as ${spelling}` }),
      });
      expect(saved.status).toBe(201);
      const file = await fetch(`${server.url}/notebooks/${id}/resolve/main/${NOTEBOOK_FILE}`, {
        headers: bearer(owner.token),
      });
      const nb = (await file.json()) as { cells: { source: string | string[] }[] };
      const saved0 = [nb.cells[0]?.source ?? ''].flat().join('');
      expect(saved0).toContain('// from a');
      expect(saved0).toContain('// from b');
    }
    expect(server.services.collab.rooms.has(`notebooks/${id}`)).toBe(true);
    expect([...server.services.collab.rooms.keys()].filter((r) => r.includes(swapCase(id)))).toEqual([]);
  });
});

describe.runIf(hasDocker()).each(RUNTIMES)('one notebook, one kernel under %s', (runtime) => {
  let server: TestServer;
  let owner: TestUser;
  const clients: Client[] = [];

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer(runtime);
    await createUser(server.url);
    owner = await mixedCaseUser(server.url);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('runs cells asked for under different spellings in one kernel, with one session', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('Nb'), {
      notebook: notebookOf([
        'globalThis.n = (globalThis.n ?? 0) + 1; console.log(`run ${globalThis.n}`)',
        'console.log(`seen ${globalThis.n}`)',
      ]),
    });
    const watcher = connectClient(server, `notebooks/${id.toLowerCase()}`, { token: owner.token });
    clients.push(watcher);
    await synced(watcher);
    expect((await kernelCall(server.url, owner.token, id, 'run', { cells: ['c0'] })).status).toBe(202);
    await until(() => streamText(watcher.doc, 'c0').includes('run 1'), 60_000, 'the first run');
    expect((await kernelCall(server.url, owner.token, swapCase(id), 'run', { cells: ['c1'] })).status).toBe(
      202,
    );
    await until(() => streamText(watcher.doc, 'c1').includes('seen'), 60_000, 'the second run');
    expect(streamText(watcher.doc, 'c1')).toBe('seen 1\n');
    const kernels = server.services.runtime.kernels
      .list()
      .filter((k) => k.key?.toLowerCase() === `notebooks/${id}`.toLowerCase());
    expect(kernels).toHaveLength(1);
  });
});
