import { CloseCode, NOTEBOOK_FILE, READ_ONLY_REASON } from '@atrium/protocol';
import { commitFiles } from '@atrium/server/hub/commands/commitFiles';
import { openRepoFile } from '@atrium/server/hub/commands/openRepoFile';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import {
  addCollaborator,
  type Client,
  closedWith,
  connectClient,
  makeRepo,
  storedText,
  synced,
  until,
} from './collabClients.js';

let server: TestServer;
let owner: TestUser;
let writer: TestUser;
let reader: TestUser;
let outsider: TestUser;
const clients: Client[] = [];
const open = (...args: Parameters<typeof connectClient>) => {
  const c = connectClient(...args);
  clients.push(c);
  return c;
};
const text = (c: Client) => c.doc.getText('t').toString();
const storedBytesOf = (doc: string) => storedText(server, doc);

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 300 });
  // The first account is the instance admin, who may do everything: keep it out of the roles under test.
  await createUser(server.url);
  [owner, writer, reader, outsider] = await Promise.all([
    createUser(server.url),
    createUser(server.url),
    createUser(server.url),
    createUser(server.url),
  ]);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
});

describe('editing together', () => {
  it('lets two writers (session cookie and token) edit one notebook and converge', async () => {
    const repo = await makeRepo(server, owner, 'notebook', { private: true });
    await addCollaborator(server, 'notebook', repo, writer, 'write');
    const a = open(server, `notebooks/${repo}`, { cookie: owner.cookie });
    const b = open(server, `notebooks/${repo}`, { token: writer.token });
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('t').insert(0, 'hello ');
    b.doc.getText('t').insert(0, 'world ');
    for (let i = 0; i < 50; i++) {
      const t = (i % 2 ? a : b).doc.getText('t');
      t.insert(t.length, `${i}`);
    }
    await until(() => text(a) === text(b) && text(a).length === 12 + 90, 10_000, 'convergence');
    expect(text(a)).toContain('hello');
    expect(text(b)).toContain('world');
  });

  it('refuses a viewer’s edit, tells it why, and neither stores nor relays it', async () => {
    const repo = await makeRepo(server, owner, 'notebook', { private: true });
    await addCollaborator(server, 'notebook', repo, reader, 'read');
    const doc = `notebooks/${repo}`;
    const editor = open(server, doc, { cookie: owner.cookie });
    await synced(editor);
    editor.doc.getText('t').insert(0, 'from the owner');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const viewer = open(server, doc, { cookie: reader.cookie });
    await synced(viewer);
    await until(() => text(viewer) === 'from the owner', 5_000, 'viewer sync');
    viewer.doc.getText('t').insert(0, 'VIEWER-EDIT ');
    await until(
      () => warn.mock.calls.some((call) => String(call.join(' ')).includes(READ_ONLY_REASON)),
      5_000,
      'permission denied',
    );
    warn.mockRestore();
    editor.doc.getText('t').insert(14, '!');
    await until(() => text(viewer).endsWith('from the owner!'), 5_000, 'later edits still reach the viewer');
    expect(text(editor)).toBe('from the owner!');
    expect(await storedBytesOf(doc)).not.toContain('VIEWER-EDIT');
    const fresh = open(server, doc, { cookie: owner.cookie });
    await synced(fresh);
    expect(text(fresh)).toBe('from the owner!');
  });

  it('makes a read-only token a viewer even for the repository owner', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const res = await fetch(`${server.url}/api/settings/tokens`, {
      method: 'POST',
      headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'ro', role: 'read' }),
    });
    const { token } = (await res.json()) as { token: string };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const viewer = open(server, `notebooks/${repo}`, { token });
    await synced(viewer);
    viewer.doc.getText('t').insert(0, 'READ-TOKEN-EDIT');
    await until(
      () => warn.mock.calls.some((call) => String(call.join(' ')).includes(READ_ONLY_REASON)),
      5_000,
      'permission denied',
    );
    warn.mockRestore();
    expect(await storedBytesOf(`notebooks/${repo}`)).not.toContain('READ-TOKEN-EDIT');
  });
});

describe('who may join', () => {
  it('turns outsiders and anonymous visitors away from a private document with Forbidden and a reason', async () => {
    const repo = await makeRepo(server, owner, 'space', { private: true });
    const stranger = open(server, `spaces/${repo}`, { cookie: outsider.cookie });
    const anonymous = open(server, `spaces/${repo}`, null);
    for (const closed of await Promise.all([closedWith(stranger), closedWith(anonymous)])) {
      expect(closed.code).toBe(CloseCode.Forbidden);
      expect(closed.reason).toMatch(/private/);
    }
  });

  it('closes a document name with an unknown prefix with NotFound', async () => {
    const c = open(server, `wikis/${owner.name}/x`, { cookie: owner.cookie });
    expect((await closedWith(c)).code).toBe(CloseCode.NotFound);
  });

  it('lets anonymous visitors of a public document watch but not edit', async () => {
    const repo = await makeRepo(server, owner, 'space');
    const doc = `spaces/${repo}`;
    const editor = open(server, doc, { cookie: owner.cookie });
    await synced(editor);
    editor.doc.getText('t').insert(0, 'public');
    const guest = open(server, doc, null);
    await synced(guest);
    await until(() => text(guest) === 'public', 5_000, 'guest sync');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    guest.doc.getText('t').insert(0, 'GUEST-EDIT');
    await until(() => warn.mock.calls.length > 0, 5_000, 'permission denied');
    warn.mockRestore();
    // A later edit by someone else reaches the editor after anything relayed before it (one socket, in order).
    const witness = open(server, doc, { cookie: owner.cookie });
    await synced(witness);
    witness.doc.getText('t').insert(6, '!');
    await until(() => text(editor).endsWith('!'), 5_000, 'a later edit to reach the editor');
    expect(text(editor)).toBe('public!');
    expect(await storedBytesOf(doc)).not.toContain('GUEST-EDIT');
  });
});

describe('presence', () => {
  it('stamps every presence state with the authenticated user, whatever the client claims', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    await addCollaborator(server, 'notebook', repo, writer, 'write');
    const doc = `notebooks/${repo}`;
    const a = open(server, doc, { cookie: owner.cookie });
    const b = open(server, doc, { token: writer.token });
    const guest = open(server, doc, null);
    await Promise.all([synced(a), synced(b), synced(guest)]);
    b.provider.awareness.setLocalStateField('user', { name: owner.name, color: '#000000' });
    b.provider.awareness.setLocalStateField('cursor', { index: 3 });
    guest.provider.awareness.setLocalStateField('user', { name: 'admin' });
    const stateOf = (id: number) =>
      a.provider.awareness.getStates().get(id) as
        | { user?: { name: string; guest?: boolean }; cursor?: unknown }
        | undefined;
    await until(
      () => stateOf(b.doc.clientID)?.cursor !== undefined && stateOf(guest.doc.clientID)?.user !== undefined,
      5_000,
      'presence',
    );
    expect(stateOf(b.doc.clientID)?.user?.name).toBe(writer.name);
    expect(stateOf(b.doc.clientID)?.cursor).toEqual({ index: 3 });
    expect(stateOf(guest.doc.clientID)?.user?.name).toMatch(/^Guest /);
    expect(stateOf(guest.doc.clientID)?.user?.guest).toBe(true);
  });
});

describe('presence among many', () => {
  it('keeps six y-websocket clients (which echo everyone’s presence) connected, each seeing all six', async () => {
    const repo = await makeRepo(server, owner, 'space');
    const crowd = Array.from({ length: 6 }, (_, i) =>
      open(server, `spaces/${repo}`, i % 2 ? { cookie: owner.cookie } : null),
    );
    await Promise.all(crowd.map((c) => synced(c)));
    for (const [i, c] of crowd.entries()) c.provider.awareness.setLocalStateField('cursor', { index: i });
    await until(
      () =>
        crowd.every(
          (c) => [...c.provider.awareness.getStates().values()].filter((s) => s.cursor).length === 6,
        ),
      5_000,
      'all presence',
    );
    // What the first (a guest) hears about the five others: the server's stamp on each.
    const names = [...crowd[0]!.provider.awareness.getStates().entries()]
      .filter(([id]) => id !== crowd[0]!.doc.clientID)
      .map(([, s]) => (s.user as { name: string }).name);
    expect(names.filter((n) => n === owner.name)).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('Guest '))).toHaveLength(2);
    expect(crowd.every((c) => c.provider.wsconnected)).toBe(true);
  });
});

describe('durability and lifecycle', () => {
  it('unloads an idle room and loads it back from snapshot plus log', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const doc = `notebooks/${repo}`;
    const a = open(server, doc, { cookie: owner.cookie });
    await synced(a);
    for (let i = 0; i < 700; i++) a.doc.getText('t').insert(i, 'x');
    await until(async () => (await storedBytesOf(doc)).length > 0, 5_000, 'stored');
    await until(() => server.services.collab.rooms.get(doc) !== undefined, 5_000, 'room');
    a.destroy();
    await until(() => !server.services.collab.rooms.has(doc), 5_000, 'room eviction');
    const snapshots = await server.services.db.kysely
      .selectFrom('collab_snapshots')
      .select('doc')
      .where('doc', '=', doc)
      .execute();
    expect(snapshots).toHaveLength(1);
    const b = open(server, doc, { cookie: owner.cookie });
    await synced(b);
    await until(() => text(b).length === 700, 5_000, 'reload');
  });

  it('replaces a room whose store failed, so a reconnecting writer’s edit is stored and seen, not dropped', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const doc = `notebooks/${repo}`;
    const a = open(server, doc, { cookie: owner.cookie });
    await synced(a);
    a.doc.getText('t').insert(0, '<before>');
    await until(async () => (await storedBytesOf(doc)).includes('<before>'), 5_000, 'first edit stored');
    const broken = server.services.collab.rooms.get(doc);
    // The real store, failing one append (a dropped database connection, a full disk).
    // biome-ignore lint/complexity/useLiteralKeys: the store is private to the collab server; only this test reaches in.
    const store = server.services.collab['options'].store;
    const append = vi.spyOn(store, 'append').mockRejectedValueOnce(new Error('injected storage failure'));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const closed = closedWith(a);
      a.doc.getText('t').insert(0, '<during>');
      expect((await closed).code).toBe(CloseCode.InternalError);
      // y-websocket reconnects by itself and sends what the server lacks: it must land in a fresh room.
      a.doc.getText('t').insert(0, '<after>');
      await until(
        async () => {
          const stored = await storedBytesOf(doc);
          return stored.includes('<during>') && stored.includes('<after>');
        },
        10_000,
        'edits stored after the reconnect',
      );
      expect(server.services.collab.rooms.get(doc)).not.toBe(broken);
      const b = open(server, doc, { cookie: owner.cookie });
      await synced(b);
      await until(
        () => text(b).includes('<during>') && text(b).includes('<after>'),
        5_000,
        'seen by a newcomer',
      );
    } finally {
      append.mockRestore();
      error.mockRestore();
    }
  });

  it('saves a notebook into its repository history as nbformat 4.5 JSON', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const doc = `notebooks/${repo}`;
    const a = open(server, doc, { cookie: owner.cookie });
    await synced(a);
    a.doc.transact(() => {
      a.doc.getMap('meta').set('nbformat', 4);
      a.doc.getMap('meta').set('nbformat_minor', 5);
      const cell = new Y.Map<unknown>();
      cell.set('id', 'c1');
      cell.set('cell_type', 'code');
      cell.set('source', new Y.Text('print(1 + 1)'));
      cell.set('metadata', new Y.Map());
      cell.set('outputs', new Y.Array());
      cell.set('execution_count', null);
      a.doc.getArray('cells').push([cell]);
    });
    await until(async () => (await storedBytesOf(doc)).includes('print(1 + 1)'), 5_000, 'stored');
    const res = await fetch(`${server.url}/api/collab/${doc}/save`, {
      method: 'POST',
      headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'First cell' }),
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { commitOid: string; files: string[] };
    expect(saved.files).toEqual([NOTEBOOK_FILE]);
    const file = await openRepoFile(server.services, 'notebook', repo, 'main', NOTEBOOK_FILE);
    expect(file.commit).toBe(saved.commitOid);
    const chunks: Buffer[] = [];
    for await (const chunk of await file.stream()) chunks.push(chunk as Buffer);
    const nb = JSON.parse(Buffer.concat(chunks).toString()) as {
      nbformat: number;
      nbformat_minor: number;
      cells: { source: string[] }[];
    };
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells[0]?.source.join('')).toBe('print(1 + 1)');
  });

  it('refuses to save for a reader, and opens a Space with the text files already in its repository', async () => {
    const repo = await makeRepo(server, owner, 'space');
    await addCollaborator(server, 'space', repo, reader, 'read');
    const actor = await server.services.accounts.findByName(owner.name);
    await commitFiles(server.services, {
      type: 'space',
      id: repo,
      author: actor!,
      message: 'app',
      files: [{ path: 'app.js', content: 'console.log(1)\n' }],
    });
    const denied = await fetch(`${server.url}/api/collab/spaces/${repo}/save`, {
      method: 'POST',
      headers: reader.sessionHeaders,
    });
    expect(denied.status).toBe(403);
    const a = open(server, `spaces/${repo}`, { cookie: owner.cookie });
    await synced(a);
    const files = a.doc.getMap<Y.Text>('files');
    await until(() => files.get('app.js') !== undefined, 5_000, 'seeded files');
    expect(files.get('app.js')?.toString()).toBe('console.log(1)\n');
    files.get('app.js')?.insert(0, '// edited\n');
    await until(async () => (await storedBytesOf(`spaces/${repo}`)).includes('edited'), 5_000, 'stored');
    const res = await fetch(`${server.url}/api/collab/spaces/${repo}/save`, {
      method: 'POST',
      headers: owner.sessionHeaders,
    });
    expect(res.status).toBe(201);
    const file = await openRepoFile(server.services, 'space', repo, 'main', 'app.js');
    const chunks: Buffer[] = [];
    for await (const chunk of await file.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('// edited\nconsole.log(1)\n');
  });
});
