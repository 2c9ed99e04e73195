import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountMigrations } from '../accounts/migrations.js';
import { sqliteAccountStore } from '../accounts/sqliteAccountStore.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../db/openDatabase.js';
import { hubMigrations } from './migrations.js';
import type { FileEntry, NewCommit, RepoStore } from './RepoStore.js';
import { sqliteRepoStore } from './sqliteRepoStore.js';

const file = (p: string, sha = 'a'.repeat(64)): FileEntry => ({
  path: p,
  sha256: sha,
  size: 1,
  gitOid: 'b'.repeat(40),
  lfs: false,
});

describe('the SQLite repository store', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: RepoStore;
  let ownerId: string;

  const commit = (repoId: string, changes: Partial<NewCommit['changes']>, extra: Partial<NewCommit> = {}) =>
    store.commit({
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

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-store-'));
    db = openDatabase(path.join(dir, 'db.sqlite'), [...accountMigrations, ...hubMigrations]);
    store = sqliteRepoStore(db);
    const owner = await sqliteAccountStore(db).create({
      kind: 'user',
      name: 'owner',
      fullname: 'Owner',
      email: null,
      passwordHash: null,
    });
    ownerId = owner!.id;
  });
  afterEach(() => {
    closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
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
});
