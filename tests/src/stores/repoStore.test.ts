import { sqlAccountStore } from '@atrium/server/accounts/sqlAccountStore';
import type { FileEntry, NewCommit, RepoStore } from '@atrium/server/hub/RepoStore';
import { sqlRepoStore } from '@atrium/server/hub/sqlRepoStore';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { waitFor } from '../harness/waitFor.js';
import { describeOnEngines } from './engines.js';

const file = (p: string, sha = 'a'.repeat(64)): FileEntry => ({
  path: p,
  sha256: sha,
  size: 1,
  gitOid: 'b'.repeat(40),
  lfs: false,
});

describeOnEngines('the repository store', ({ engine, db, second }) => {
  let store: RepoStore;
  let ownerId: string;

  const newCommit = (
    repoId: string,
    changes: Partial<NewCommit['changes']>,
    extra: Partial<NewCommit> = {},
  ): NewCommit => ({
    repoId,
    branch: 'main',
    authorId: ownerId,
    authorName: 'owner',
    title: 't',
    message: '',
    createdAt: new Date().toISOString(),
    changes: { put: [], deleteFiles: [], deleteFolders: [], ...changes },
    ...extra,
  });
  const commit = (repoId: string, changes: Partial<NewCommit['changes']>, extra: Partial<NewCommit> = {}) =>
    store.commit(newCommit(repoId, changes, extra));

  async function newRepo(name: string) {
    const now = new Date().toISOString();
    const repo = await store.create({
      type: 'model',
      ownerId,
      name,
      private: false,
      sdk: null,
      createdAt: now,
      initialCommit: {
        authorId: ownerId,
        authorName: 'owner',
        title: 'init',
        message: '',
        createdAt: now,
        changes: { put: [file('README.md')], deleteFiles: [], deleteFolders: [] },
      },
    });
    if (!repo) throw new Error('not created');
    return repo;
  }

  async function newUser(name: string) {
    const user = await sqlAccountStore(db()).create({
      kind: 'user',
      name,
      fullname: name,
      email: null,
      passwordHash: null,
    });
    if (!user) throw new Error('user not created');
    return user.id;
  }

  beforeEach(async () => {
    store = sqlRepoStore(db());
    ownerId = await newUser('owner');
  });

  it('refuses a second repository with the same name in any case', async () => {
    await newRepo('Model');
    expect(
      await store.create({
        type: 'model',
        ownerId,
        name: 'model',
        private: false,
        sdk: null,
        createdAt: '',
        initialCommit: {
          authorId: null,
          authorName: 'x',
          title: '',
          message: '',
          createdAt: '',
          changes: { put: [], deleteFiles: [], deleteFolders: [] },
        },
      }),
    ).toBeUndefined();
  });

  it('applies puts, file and folder deletions on top of the parent, and keeps the parent intact', async () => {
    const repo = await newRepo('m');
    const first = await commit(repo.id, { put: [file('a/1.txt'), file('a/2.txt'), file('b.txt')] });
    if (!first.ok) throw new Error('first');
    const second = await commit(repo.id, {
      deleteFolders: ['a'],
      deleteFiles: ['b.txt'],
      put: [file('c.txt')],
    });
    if (!second.ok) throw new Error('second');
    expect((await store.entries(second.oid, '')).map((e) => e.path)).toEqual(['README.md', 'c.txt']);
    expect((await store.entries(first.oid, 'a')).map((e) => e.path)).toEqual(['a/1.txt', 'a/2.txt']);
    expect((await store.history(second.oid, 10, 0)).map((c) => c.oid)).toEqual([
      second.oid,
      first.oid,
      repo.head,
    ]);
  });

  it('finds the commit that last changed a file or a folder', async () => {
    const repo = await newRepo('m');
    const one = await commit(repo.id, { put: [file('a/x.txt', '1'.repeat(64)), file('b.txt')] });
    const two = await commit(repo.id, { put: [file('a/x.txt', '2'.repeat(64))] });
    const three = await commit(repo.id, { put: [file('c.txt')] });
    if (!one.ok || !two.ok || !three.ok) throw new Error('commits');
    expect((await store.lastCommitOf(three.oid, 'a/x.txt', 10))?.oid).toBe(two.oid);
    expect((await store.lastCommitOf(three.oid, 'a', 10))?.oid).toBe(two.oid);
    expect((await store.lastCommitOf(three.oid, 'b.txt', 10))?.oid).toBe(one.oid);
    expect((await store.lastCommitOf(three.oid, 'README.md', 10))?.oid).toBe(repo.head);
    // Beyond the depth bound it says nothing rather than something wrong.
    expect(await store.lastCommitOf(three.oid, 'README.md', 2)).toBeUndefined();
  });

  it('rolls back a commit that makes a path both a file and a folder, or deletes what is missing', async () => {
    const repo = await newRepo('m');
    expect(await commit(repo.id, { put: [file('README.md/x')] })).toMatchObject({
      ok: false,
      reason: 'path_conflict',
    });
    expect(await commit(repo.id, { deleteFiles: ['nope'] })).toMatchObject({
      ok: false,
      reason: 'missing_path',
    });
    expect(await commit(repo.id, { deleteFolders: ['nope'] })).toMatchObject({
      ok: false,
      reason: 'missing_path',
    });
    expect(await store.resolveRevision(repo.id, 'main')).toBe(repo.head);
    expect(await store.countHistory(repo.head!)).toBe(1);
  });

  it('refuses a stale expected head without touching the branch', async () => {
    const repo = await newRepo('m');
    const moved = await commit(repo.id, { put: [file('x')] });
    expect(await commit(repo.id, { put: [file('y')] }, { expectedHead: repo.head! })).toMatchObject({
      ok: false,
      reason: 'stale_parent',
    });
    expect(await store.resolveRevision(repo.id, 'main')).toBe(moved.ok ? moved.oid : '');
  });

  it('forks by copying refs: the fork sees the same commit, then diverges without affecting the source', async () => {
    const src = await newRepo('src');
    const refs = await store.refs(src.id);
    const fork = await store.create({
      type: 'model',
      ownerId,
      name: 'fork',
      private: false,
      sdk: null,
      createdAt: new Date().toISOString(),
      initialCommit: {
        authorId: null,
        authorName: '',
        title: '',
        message: '',
        createdAt: '',
        changes: { put: [], deleteFiles: [], deleteFolders: [] },
      },
      forkedFrom: { repoId: src.id, commit: src.head!, refs },
    });
    expect(fork?.head).toBe(src.head);
    expect(fork?.forkedFromRepo).toBe(src.id);
    await commit(fork!.id, { put: [file('only-in-fork')] });
    expect(
      (await store.entries((await store.resolveRevision(src.id, 'main'))!, '')).map((e) => e.path),
    ).toEqual(['README.md']);
    expect((await store.forksOf(src.id)).map((r) => r.name)).toEqual(['fork']);
    // Abbreviated ids resolve through the fork's history to the shared commit.
    expect(await store.resolveRevision(fork!.id, src.head!.slice(0, 8))).toBe(src.head);
    expect(await store.resolveRevision(fork!.id, 'f'.repeat(40))).toBeUndefined();
  });

  const forkOf = (srcId: string, head: string, refs: { name: string; commit: string }[], name = 'fork') =>
    store.create({
      type: 'model',
      ownerId,
      name,
      private: false,
      sdk: null,
      createdAt: new Date().toISOString(),
      initialCommit: {
        authorId: null,
        authorName: '',
        title: '',
        message: '',
        createdAt: '',
        changes: { put: [], deleteFiles: [], deleteFolders: [] },
      },
      forkedFrom: { repoId: srcId, commit: head, refs },
    });

  it('refuses a fork whose commits a collection pruned after its refs were read', async () => {
    const src = await newRepo('gone');
    const refs = await store.refs(src.id);
    // The source's branch goes meanwhile (as a branch deletion would): its history is unreachable.
    await db().kysely.deleteFrom('hub_refs').where('repo_id', '=', src.id).execute();
    expect((await store.pruneUnreachable()).commits).toBeGreaterThan(0);
    await expect(forkOf(src.id, src.head!, refs)).rejects.toMatchObject({ status: 409 });
    expect(await store.find('model', 'owner', 'fork')).toBeUndefined();
  });

  it('keeps what a branch written during a collection points to', async ({ skip }) => {
    if (engine !== 'postgres') skip('SQLite has one writer: a collection never overlaps a branch write');
    const orphan = await newRepo('orphan');
    const keeper = await newRepo('keeper');
    await store.remove(orphan.id);
    const other = await second();
    const writing = await other.kysely.startTransaction().execute();
    await writing
      .insertInto('hub_refs')
      .values({ repo_id: keeper.id, name: 'rescued', commit_oid: orphan.head! })
      .execute();
    const collecting = store.pruneUnreachable();
    // The collection must wait for the branch write in flight (it would otherwise prune `orphan`).
    const waiting = async () =>
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query LIKE '%hub_refs%'`.execute(other.kysely)
      ).rows[0]!.n > 0;
    const settled = collecting.then(() => 'done');
    await Promise.race([waitFor(waiting, { timeout: 30_000, what: 'the collection to wait' }), settled]);
    await writing.commit().execute();
    await collecting;
    expect((await store.entries(orphan.head!, '')).map((e) => e.path)).toEqual(['README.md']);
  });

  it("counts an account's storage as the distinct blobs its branches' history names, and what an upload adds", async () => {
    const sized = (p: string, sha: string, size: number) => ({ ...file(p, sha), size });
    const repo = await newRepo('stored'); // README.md: blob a…, 1 byte
    await commit(repo.id, { put: [sized('w.bin', 'c'.repeat(64), 100)] });
    await commit(repo.id, { deleteFiles: ['w.bin'], put: [sized('x.bin', 'd'.repeat(64), 10)] });
    // History counts: the deleted file's blob is still held by the earlier commit.
    expect(await store.storageUsage(ownerId)).toEqual({ usedBytes: 111, addingBytes: 0 });
    const adding = [
      sized('y', 'c'.repeat(64), 100),
      sized('z', 'e'.repeat(64), 7),
      sized('z2', 'e'.repeat(64), 7),
    ];
    expect((await store.storageUsage(ownerId, adding)).addingBytes).toBe(7);
    await store.remove(repo.id);
    expect((await store.storageUsage(ownerId)).usedBytes).toBe(0);
  });
  it('lets one of two commits racing from the same parent land; the other gets a stale-parent conflict', async () => {
    const repo = await newRepo('raced');
    const other = sqlRepoStore(await second());
    const files = (tag: string) => Array.from({ length: 200 }, (_, i) => file(`${tag}/${i}.txt`));
    const [a, b] = await Promise.all([
      store.commit(newCommit(repo.id, { put: files('a') }, { expectedHead: repo.head! })),
      other.commit(newCommit(repo.id, { put: files('b') }, { expectedHead: repo.head! })),
    ]);
    const outcomes = [a, b];
    const won = outcomes.filter((o) => o.ok);
    const lost = outcomes.filter((o) => !o.ok);
    expect(won).toHaveLength(1);
    expect(lost).toEqual([{ ok: false, reason: 'stale_parent', head: won[0]!.ok ? won[0]!.oid : '' }]);
    const head = await store.resolveRevision(repo.id, 'main');
    expect(head).toBe(won[0]!.ok ? won[0]!.oid : '');
    // The branch holds exactly the winner's files on top of the parent, nothing of the loser's.
    expect(await store.entries(head!, '')).toHaveLength(201);
    expect(await store.countHistory(head!)).toBe(2);
  });

  it('applies both of two commits racing without an expected parent, one after the other', async () => {
    const repo = await newRepo('serial');
    const other = sqlRepoStore(await second());
    const results = await Promise.all([
      store.commit(newCommit(repo.id, { put: [file('one.txt')] })),
      other.commit(newCommit(repo.id, { put: [file('two.txt')] })),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const head = (await store.resolveRevision(repo.id, 'main'))!;
    expect((await store.entries(head, '')).map((e) => e.path)).toEqual(['README.md', 'one.txt', 'two.txt']);
    expect(await store.countHistory(head)).toBe(3);
  });

  it('gives a name raced for by two creations to one repository', async () => {
    const other = sqlRepoStore(await second());
    const create = (s: RepoStore, name: string) =>
      s.create({
        type: 'model',
        ownerId,
        name,
        private: false,
        sdk: null,
        createdAt: new Date().toISOString(),
        initialCommit: {
          authorId: ownerId,
          authorName: 'owner',
          title: 'init',
          message: '',
          createdAt: new Date().toISOString(),
          changes: { put: [file('README.md')], deleteFiles: [], deleteFolders: [] },
        },
      });
    const made = await Promise.all([create(store, 'twin'), create(other, 'Twin')]);
    expect(made.filter((r) => r !== undefined)).toHaveLength(1);
    expect(
      await store.list({
        type: 'model',
        sort: 'createdAt',
        limit: 10,
        offset: 0,
        viewerId: null,
        viewerIsAdmin: true,
      }),
    ).toHaveLength(1);
  });

  it('counts a like once however often it is sent at once, and every liker once', async () => {
    const repo = await newRepo('liked');
    const other = sqlRepoStore(await second());
    const users = await Promise.all(['u1', 'u2', 'u3', 'u4'].map(newUser));
    const at = new Date().toISOString();
    // Each user likes from both "processes" at once, twice over.
    await Promise.all(
      users.flatMap((u) => [
        store.like(repo.id, u, at),
        other.like(repo.id, u, at),
        store.like(repo.id, u, at),
      ]),
    );
    expect((await store.findById(repo.id))?.likes).toBe(4);
    expect(await store.likers(repo.id)).toHaveLength(4);
    await Promise.all([store.unlike(repo.id, users[0]!), other.unlike(repo.id, users[0]!)]);
    expect((await store.findById(repo.id))?.likes).toBe(3);
    expect(await store.hasLiked(repo.id, users[0]!)).toBe(false);
    expect((await store.likedBy(users[1]!)).map((l) => l.repo.id)).toEqual([repo.id]);
  });

  it('lists folders by byte order of paths, whatever the database locale', async () => {
    const repo = await newRepo('order');
    const done = await commit(repo.id, {
      put: [file('a/B.txt'), file('a/a.txt'), file('a-b.txt'), file('a/_.txt'), file('a0')],
    });
    if (!done.ok) throw new Error('commit');
    expect((await store.entries(done.oid, 'a')).map((e) => e.path)).toEqual([
      'a/B.txt',
      'a/_.txt',
      'a/a.txt',
    ]);
  });

  it('lists collaborators by byte order of their names, whatever the database locale', async () => {
    const repo = await newRepo('people');
    for (const name of ['bob', '_x', 'Alice'])
      await store.setCollaborator(repo.id, await newUser(name), 'read');
    expect((await store.collaborators(repo.id)).map((c) => c.userName)).toEqual(['Alice', '_x', 'bob']);
  });

  it('commits a thousand files at once', async () => {
    const repo = await newRepo('big');
    const files = Array.from({ length: 1000 }, (_, i) =>
      file(`data/${String(i).padStart(4, '0')}.bin`, i.toString(16).padStart(64, '0')),
    );
    const done = await commit(repo.id, { put: files });
    if (!done.ok) throw new Error(JSON.stringify(done));
    expect(await store.entries(done.oid, 'data')).toHaveLength(1000);
    expect((await store.storageUsage(ownerId)).usedBytes).toBe(1001);
    expect(await commit(repo.id, { put: [file('data/0001.bin/x')] })).toMatchObject({
      ok: false,
      reason: 'path_conflict',
      path: 'data/0001.bin/x',
    });
    expect(await commit(repo.id, { put: [file('data')] })).toMatchObject({
      ok: false,
      reason: 'path_conflict',
      path: 'data',
    });
  });
});
