import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RepoSort } from '@atrium/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { chunks, containsPattern, isUniqueViolation, likeNoCase, sameName } from '../db/dialect.js';
import type { Database } from '../db/openDatabase.js';
import { prepared } from '../db/prepared.js';
import type { Tables } from '../db/tables.js';
import { conflict } from '../errors.js';
import type {
  CommitOutcome,
  CommitRecord,
  FileEntry,
  NewCommit,
  RepoRecord,
  RepoStore,
} from './RepoStore.js';

type EntryRow = Omit<Tables['hub_entries'], 'commit_oid'>;
type CommitRow = Tables['hub_commits'];
type Db = Kysely<Tables> | Transaction<Tables>;

const toEntry = (r: EntryRow): FileEntry => ({
  path: r.path,
  sha256: r.sha256,
  size: r.size,
  gitOid: r.git_oid,
  lfs: r.lfs === 1,
});

const toCommit = (r: CommitRow): CommitRecord => ({
  oid: r.oid,
  parent: r.parent_oid,
  authorId: r.author_id,
  authorName: r.author_name,
  title: r.title,
  message: r.message,
  createdAt: r.created_at,
});

const ENTRY_COLS = ['path', 'sha256', 'size', 'git_oid', 'lfs'] as const;

/** Repositories with their owner and the commit `main` points at. */
const repoSelect = (db: Db) =>
  db
    .selectFrom('hub_repos as r')
    .innerJoin('accounts as a', 'a.id', 'r.owner_id')
    .leftJoin('hub_refs as f', (join) => join.onRef('f.repo_id', '=', 'r.id').on('f.name', '=', 'main'))
    .select([
      'r.id',
      'r.type',
      'r.owner_id',
      'a.name as owner_name',
      'a.kind as owner_kind',
      'r.name',
      'r.private',
      'r.sdk',
      'r.created_at',
      'r.last_modified',
      'r.likes',
      'r.downloads',
      'f.commit_oid as head',
      'r.forked_from_repo',
      'r.forked_from_commit',
    ]);

type RepoRow = Awaited<ReturnType<ReturnType<typeof repoSelect>['executeTakeFirstOrThrow']>>;

const toRepo = (r: RepoRow): RepoRecord => ({
  id: r.id,
  type: r.type,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  ownerKind: r.owner_kind,
  name: r.name,
  private: r.private === 1,
  sdk: r.sdk,
  createdAt: r.created_at,
  lastModified: r.last_modified,
  likes: r.likes,
  downloads: r.downloads,
  head: r.head,
  forkedFromRepo: r.forked_from_repo,
  forkedFromCommit: r.forked_from_commit,
});

const sortBy = (sort: RepoSort, since: string): RawBuilder<unknown> => {
  switch (sort) {
    case 'likes':
      return sql`r.likes DESC, r.last_modified DESC`;
    case 'downloads':
      return sql`r.downloads DESC, r.last_modified DESC`;
    case 'lastModified':
      return sql`r.last_modified DESC`;
    case 'createdAt':
      return sql`r.created_at DESC`;
    case 'trendingScore':
      return sql`(SELECT count(*) FROM hub_likes l WHERE l.repo_id = r.id AND l.created_at > ${since}) DESC, r.likes DESC, r.last_modified DESC`;
  }
};

/** Folders larger than this get no `lastCommit` in tree listings (bounded work per request). */
const MAX_FOLDER_COMPARE = 1000;

/** Upper bound of the key range of everything inside a folder: '/' + 1 is '0'. */
const folderRange = (folder: string) => [`${folder}/`, `${folder}0`] as const;

/** Commit ids look like the Hub's (40 hex digits); a nonce keeps two identical commits apart. */
function commitOid(c: NewCommit, parent: string | null): string {
  const h = createHash('sha1');
  h.update(`parent ${parent ?? ''}\nauthor ${c.authorName} ${c.createdAt}\n${c.title}\n${c.message}\n`);
  for (const p of c.changes.put) h.update(`+${p.path}\0${p.sha256}\n`);
  for (const p of c.changes.deleteFiles) h.update(`-${p}\n`);
  for (const p of c.changes.deleteFolders) h.update(`-${p}/\n`);
  h.update(randomBytes(8));
  return h.digest('hex');
}

/** Commits reachable from `start` (a parameter), as the recursive table h(oid, depth). */
const historyFrom = (start: string) =>
  sql`WITH RECURSIVE h(oid, depth) AS (
       SELECT CAST(${start} AS TEXT), 0
       UNION ALL SELECT c.parent_oid, h.depth + 1 FROM hub_commits c JOIN h ON c.oid = h.oid WHERE c.parent_oid IS NOT NULL
     )`;

/** Commits any branch of any repository reaches, as the recursive table r(oid). */
const REACHABLE = sql`WITH RECURSIVE r(oid) AS (
    SELECT commit_oid FROM hub_refs
    UNION SELECT c.parent_oid FROM hub_commits c JOIN r ON c.oid = r.oid WHERE c.parent_oid IS NOT NULL
  )`;

/** Commits an account's branches reach, and the distinct blobs they put (storage quota). */
const ownedBlobs = (ownerId: string) =>
  sql`WITH RECURSIVE r(oid) AS (
       SELECT f.commit_oid FROM hub_refs f JOIN hub_repos p ON p.id = f.repo_id WHERE p.owner_id = ${ownerId}
       UNION SELECT c.parent_oid FROM hub_commits c JOIN r ON c.oid = r.oid WHERE c.parent_oid IS NOT NULL
     ), owned AS (SELECT DISTINCT b.sha256, b.size FROM hub_commit_blobs b JOIN r ON b.commit_oid = r.oid)`;

class Rollback extends Error {
  constructor(readonly outcome: CommitOutcome) {
    super('rollback');
  }
}

/**
 * RepoStore on either engine. A commit reads its branch under a row lock (PostgreSQL: FOR UPDATE;
 * SQLite: one writer at a time) and moves it only from the head it read, so of two commits racing
 * with the same parent one lands and the other gets `stale_parent`.
 */
export function sqlRepoStore(database: Database): RepoStore {
  const { kysely: db, engine } = database;
  // Built once: every request for a repository or a file reads these (db/prepared.ts).
  const entryQuery = prepared(database, 2, (commit: string, path: string) =>
    db.selectFrom('hub_entries').select(ENTRY_COLS).where('commit_oid', '=', commit).where('path', '=', path),
  );
  const repoById = prepared(database, 1, (id: string) => repoSelect(db).where('r.id', '=', id));
  const refQuery = prepared(database, 2, (repoId: string, name: string) =>
    db.selectFrom('hub_refs').select('commit_oid').where('repo_id', '=', repoId).where('name', '=', name),
  );
  const repoByName = prepared(database, 3, (type: RepoRecord['type'], owner: string, name: string) =>
    repoSelect(db)
      .where('r.type', '=', type)
      .where(sameName(engine, 'a.name', owner))
      .where(sameName(engine, 'r.name', name)),
  );
  const commitQuery = prepared(database, 1, (oid: string) =>
    db.selectFrom('hub_commits').selectAll().where('oid', '=', oid),
  );
  const roleQuery = prepared(database, 2, (repoId: string, userId: string) =>
    db
      .selectFrom('hub_collaborators')
      .select('role')
      .where('repo_id', '=', repoId)
      .where('user_id', '=', userId),
  );
  const entry = async (q: Db, commit: string, path: string) =>
    q === db
      ? (await entryQuery(commit, path)).rows[0]
      : q
          .selectFrom('hub_entries')
          .select(ENTRY_COLS)
          .where('commit_oid', '=', commit)
          .where('path', '=', path)
          .executeTakeFirst();
  const inFolder = (q: Db, commit: string, folder: string) => {
    const [from, to] = folderRange(folder);
    return q
      .selectFrom('hub_entries')
      .where('commit_oid', '=', commit)
      .where('path', '>=', from)
      .where('path', '<', to);
  };
  const folderEntries = (q: Db, commit: string, folder: string) =>
    inFolder(q, commit, folder).select(ENTRY_COLS).orderBy('path').execute();
  const getCommit = async (q: Db, oid: string) =>
    q === db
      ? (await commitQuery(oid)).rows[0]
      : q.selectFrom('hub_commits').selectAll().where('oid', '=', oid).executeTakeFirst();
  const nameTaken = (q: Db, type: RepoRecord['type'], ownerId: string, name: string) =>
    q
      .selectFrom('hub_repos')
      .select('id')
      .where('type', '=', type)
      .where('owner_id', '=', ownerId)
      .where(sameName(engine, 'name', name))
      .executeTakeFirst();
  const setRef = (q: Db, repoId: string, name: string, commit: string) =>
    q
      .insertInto('hub_refs')
      .values({ repo_id: repoId, name, commit_oid: commit })
      .onConflict((oc) => oc.columns(['repo_id', 'name']).doUpdateSet({ commit_oid: commit }))
      .execute();
  const findById = async (q: Db, id: string) => {
    const row =
      q === db ? (await repoById(id)).rows[0] : await repoSelect(q).where('r.id', '=', id).executeTakeFirst();
    return row && toRepo(row);
  };

  /** Which of `paths` are files of the commit. */
  async function existingPaths(q: Db, commit: string, paths: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(paths, 1)) {
      const rows = await q
        .selectFrom('hub_entries')
        .select('path')
        .where('commit_oid', '=', commit)
        .where('path', 'in', part)
        .execute();
      for (const r of rows) found.add(r.path);
    }
    return found;
  }

  /** The first path (in `put` order) that would be both a file and a folder in commit `oid`. */
  async function pathConflict(q: Db, oid: string, put: readonly FileEntry[]): Promise<string | undefined> {
    const paths = put.map((e) => e.path);
    const clashes = new Set<string>();
    // A put path that already has files under it… (SQLite parses at most 1,000 nested ORs).
    for (const part of chunks(paths, 2, 200)) {
      const under = await q
        .selectFrom('hub_entries')
        .select('path')
        .where('commit_oid', '=', oid)
        .where((eb) => eb.or(part.map((p) => eb.and([eb('path', '>=', `${p}/`), eb('path', '<', `${p}0`)]))))
        .limit(1)
        .executeTakeFirst();
      if (under) clashes.add(under.path);
    }
    // …or a put path under something that is a file.
    const prefixes = new Set<string>();
    for (const p of paths)
      for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) prefixes.add(p.slice(0, i));
    const files = await existingPaths(q, oid, [...prefixes]);
    return paths.find((p) => {
      for (const c of clashes) if (c.startsWith(`${p}/`)) return true;
      for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1))
        if (files.has(p.slice(0, i))) return true;
      return false;
    });
  }

  /** Applies a commit inside the caller's transaction; throws Rollback with the outcome when refused. */
  async function applyCommit(q: Transaction<Tables>, c: NewCommit, parent: string | null): Promise<string> {
    if (c.changes.deleteFiles.length > 0) {
      const present = parent ? await existingPaths(q, parent, c.changes.deleteFiles) : new Set<string>();
      const missing = c.changes.deleteFiles.find((p) => !present.has(p));
      if (missing !== undefined) throw new Rollback({ ok: false, reason: 'missing_path', path: missing });
    }
    for (const f of c.changes.deleteFolders) {
      if (!parent || !(await inFolder(q, parent, f).select('path').limit(1).executeTakeFirst()))
        throw new Rollback({ ok: false, reason: 'missing_path', path: f });
    }
    const oid = commitOid(c, parent);
    await q
      .insertInto('hub_commits')
      .values({
        oid,
        parent_oid: parent,
        author_id: c.authorId,
        author_name: c.authorName,
        title: c.title,
        message: c.message,
        created_at: c.createdAt,
      })
      .execute();
    if (parent)
      await sql`INSERT INTO hub_entries (commit_oid, path, sha256, size, git_oid, lfs)
        SELECT CAST(${oid} AS TEXT), path, sha256, size, git_oid, lfs FROM hub_entries WHERE commit_oid = ${parent}`.execute(
        q,
      );
    for (const part of chunks(c.changes.deleteFiles, 2))
      await q.deleteFrom('hub_entries').where('commit_oid', '=', oid).where('path', 'in', part).execute();
    for (const f of c.changes.deleteFolders) {
      const [from, to] = folderRange(f);
      await q
        .deleteFrom('hub_entries')
        .where('commit_oid', '=', oid)
        .where('path', '>=', from)
        .where('path', '<', to)
        .execute();
    }
    // One row per path and per blob (the last put of a path wins), inserted many rows per statement.
    const puts = [...new Map(c.changes.put.map((e) => [e.path, e])).values()];
    for (const part of chunks(puts, 6))
      await q
        .insertInto('hub_entries')
        .values(
          part.map((e) => ({
            commit_oid: oid,
            path: e.path,
            sha256: e.sha256,
            size: e.size,
            git_oid: e.gitOid,
            lfs: e.lfs ? 1 : 0,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['commit_oid', 'path']).doUpdateSet((eb) => ({
            sha256: eb.ref('excluded.sha256'),
            size: eb.ref('excluded.size'),
            git_oid: eb.ref('excluded.git_oid'),
            lfs: eb.ref('excluded.lfs'),
          })),
        )
        .execute();
    const blobs = [...new Map(puts.map((e) => [e.sha256, e.size])).entries()];
    for (const part of chunks(blobs, 3))
      await q
        .insertInto('hub_commit_blobs')
        .values(part.map(([sha256, size]) => ({ commit_oid: oid, sha256, size })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    const conflict = await pathConflict(q, oid, puts);
    if (conflict !== undefined) throw new Rollback({ ok: false, reason: 'path_conflict', path: conflict });
    return oid;
  }

  /** The branch's head, locked until the transaction ends where the engine has row locks. */
  const lockedHead = async (q: Transaction<Tables>, repoId: string, branch: string) => {
    const query = q
      .selectFrom('hub_refs')
      .select('commit_oid')
      .where('repo_id', '=', repoId)
      .where('name', '=', branch);
    return (await (engine === 'postgres' ? query.forUpdate() : query).executeTakeFirst())?.commit_oid ?? null;
  };

  const likeCount = (q: Db, repoId: string, delta: 1 | -1) =>
    q
      .updateTable('hub_repos')
      .set((eb) => ({ likes: eb('likes', '+', delta) }))
      .where('id', '=', repoId)
      .execute();

  return {
    find: async (type, owner, name) => {
      const row = (await repoByName(type, owner, name)).rows[0];
      return row && toRepo(row);
    },
    findById: (id) => findById(db, id),
    create: async (input) => {
      try {
        return await db.transaction().execute(async (q) => {
          if (await nameTaken(q, input.type, input.ownerId, input.name)) return undefined;
          const id = randomUUID();
          await q
            .insertInto('hub_repos')
            .values({
              id,
              type: input.type,
              owner_id: input.ownerId,
              name: input.name,
              private: input.private ? 1 : 0,
              sdk: input.sdk,
              created_at: input.createdAt,
              last_modified: input.createdAt,
              forked_from_repo: input.forkedFrom?.repoId ?? null,
              forked_from_commit: input.forkedFrom?.commit ?? null,
            })
            .execute();
          if (input.forkedFrom) {
            const { refs } = input.forkedFrom;
            for (const ref of refs) await setRef(q, id, ref.name, ref.commit);
            // The refs were read before this transaction; a collection that ran since (after the
            // source was deleted) may have pruned them. Read after the ref writes, which wait for
            // a collection in flight (pruneUnreachable's lock), so this sees what it left.
            const wanted = new Set(refs.map((r) => r.commit));
            const kept =
              wanted.size === 0
                ? []
                : await q
                    .selectFrom('hub_commits')
                    .select('oid')
                    .where('oid', 'in', [...wanted])
                    .execute();
            if (kept.length < wanted.size)
              throw conflict('The source repository changed while it was being forked; try again');
          } else {
            const oid = await applyCommit(q, { ...input.initialCommit, repoId: id, branch: 'main' }, null);
            await setRef(q, id, 'main', oid);
          }
          return findById(q, id);
        });
      } catch (err) {
        if (err instanceof Rollback)
          throw new Error(`initial commit refused: ${JSON.stringify(err.outcome)}`);
        // Another writer took the name between our check and our insert.
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
    },
    remove: async (id) => {
      await db.deleteFrom('hub_repos').where('id', '=', id).execute();
    },
    move: async (id, ownerId, name) => {
      const repo = await findById(db, id);
      if (!repo) return false;
      const taken = await nameTaken(db, repo.type, ownerId, name);
      if (taken && taken.id !== id) return false;
      try {
        await db.updateTable('hub_repos').set({ owner_id: ownerId, name }).where('id', '=', id).execute();
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
      return true;
    },
    setPrivate: async (id, value) => {
      await db
        .updateTable('hub_repos')
        .set({ private: value ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },
    list: async (q) => {
      const viewer = q.viewerId ?? '';
      let query = repoSelect(db).where('r.type', '=', q.type);
      if (!q.viewerIsAdmin)
        query = query.where(
          sql<boolean>`(r.private = 0 OR r.owner_id = ${viewer}
          OR EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = r.owner_id AND m.user_id = ${viewer})
          OR EXISTS (SELECT 1 FROM hub_collaborators c WHERE c.repo_id = r.id AND c.user_id = ${viewer}))`,
        );
      if (q.search)
        query = query.where(likeNoCase(engine, sql`(a.name || '/' || r.name)`, containsPattern(q.search)));
      if (q.author) query = query.where(sameName(engine, 'a.name', q.author));
      const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
      const rows = await query
        .orderBy(sortBy(q.sort, since))
        .orderBy('r.id')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return rows.map(toRepo);
    },
    forksOf: async (id) =>
      (await repoSelect(db).where('r.forked_from_repo', '=', id).orderBy('r.created_at').execute()).map(
        toRepo,
      ),

    refs: async (repoId) =>
      (
        await db
          .selectFrom('hub_refs')
          .select(['name', 'commit_oid'])
          .where('repo_id', '=', repoId)
          .orderBy('name')
          .execute()
      ).map((r) => ({ name: r.name, commit: r.commit_oid })),
    resolveRevision: async (repoId, rev) => {
      const ref = (await refQuery(repoId, rev === 'HEAD' ? 'main' : rev)).rows[0];
      if (ref) return ref.commit_oid;
      if (!/^[0-9a-f]{7,40}$/.test(rev)) return undefined;
      // An abbreviated commit id: looked for in each branch's history (rare; refs listed only here).
      const refs = await db
        .selectFrom('hub_refs')
        .select('commit_oid')
        .where('repo_id', '=', repoId)
        .orderBy('name')
        .execute();
      for (const r of refs) {
        const { rows } = await sql<{ oid: string }>`${historyFrom(r.commit_oid)}
          SELECT oid FROM h WHERE oid >= ${rev} AND oid < ${`${rev}g`} LIMIT 2`.execute(db);
        if (rows.length === 1) return rows[0]?.oid;
      }
      return undefined;
    },
    commit: async (c) => {
      try {
        return await db.transaction().execute(async (q): Promise<CommitOutcome> => {
          const head = await lockedHead(q, c.repoId, c.branch);
          if (!head) return { ok: false, reason: 'no_branch', head };
          if (c.expectedHead !== undefined && c.expectedHead !== head)
            return { ok: false, reason: 'stale_parent', head };
          const oid = await applyCommit(q, c, head);
          // Moves the branch only from the head read above: a racing commit that got there first wins.
          const moved = await q
            .updateTable('hub_refs')
            .set({ commit_oid: oid })
            .where('repo_id', '=', c.repoId)
            .where('name', '=', c.branch)
            .where('commit_oid', '=', head)
            .executeTakeFirst();
          // Cannot happen under the lock lockedHead took; if it ever did, nothing must be committed.
          if (moved.numUpdatedRows !== 1n) throw new Error(`branch ${c.branch} moved under its row lock`);
          await q
            .updateTable('hub_repos')
            .set({ last_modified: c.createdAt })
            .where('id', '=', c.repoId)
            .execute();
          return { ok: true, oid };
        });
      } catch (err) {
        if (err instanceof Rollback) return err.outcome;
        throw err;
      }
    },
    getCommit: async (oid) => {
      const row = await getCommit(db, oid);
      return row && toCommit(row);
    },
    history: async (oid, limit, offset) =>
      (
        await sql<CommitRow>`${historyFrom(oid)}
          SELECT c.* FROM h JOIN hub_commits c ON c.oid = h.oid ORDER BY h.depth LIMIT ${limit} OFFSET ${offset}`.execute(
          db,
        )
      ).rows.map(toCommit),
    countHistory: async (oid) =>
      Number(
        (await sql<{ n: number }>`${historyFrom(oid)} SELECT count(*) AS n FROM h`.execute(db)).rows[0]?.n ??
          0,
      ),

    entry: async (commit, path) => {
      const row = await entry(db, commit, path);
      return row && toEntry(row);
    },
    entries: async (commit, folder) =>
      (folder === ''
        ? await db
            .selectFrom('hub_entries')
            .select(ENTRY_COLS)
            .where('commit_oid', '=', commit)
            .orderBy('path')
            .execute()
        : await folderEntries(db, commit, folder)
      ).map(toEntry),
    lastCommitOf: async (commit, path, maxDepth) => {
      let current = await getCommit(db, commit);
      const isFolderLike = !(await entry(db, commit, path));
      if (isFolderLike) {
        const count = await inFolder(db, commit, path)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        // Comparing big folders commit by commit would block the event loop: those get no last commit.
        if (Number(count.n) > MAX_FOLDER_COMPARE) return undefined;
      }
      const signature = async (oid: string | null) => {
        if (!oid) return '';
        if (!isFolderLike) return (await entry(db, oid, path))?.sha256 ?? '';
        return (await folderEntries(db, oid, path)).map((e) => `${e.path}:${e.sha256}`).join('\n');
      };
      // Each commit's signature is computed once: a step's parent is the next step's commit.
      let mine = current ? await signature(current.oid) : '';
      for (let depth = 0; current && depth < maxDepth; depth++) {
        const parents = await signature(current.parent_oid);
        if (mine !== parents) return toCommit(current);
        mine = parents;
        current = current.parent_oid ? await getCommit(db, current.parent_oid) : undefined;
      }
      // Not found within the depth bound: say nothing rather than something wrong.
      return undefined;
    },

    collaboratorRole: async (repoId, userId) => (await roleQuery(repoId, userId)).rows[0]?.role,
    collaborators: async (repoId) =>
      (
        await db
          .selectFrom('hub_collaborators as c')
          .innerJoin('accounts as a', 'a.id', 'c.user_id')
          .select(['c.user_id', 'a.name', 'c.role'])
          .where('c.repo_id', '=', repoId)
          .orderBy('a.name')
          .execute()
      ).map((r) => ({ userId: r.user_id, userName: r.name, role: r.role })),
    setCollaborator: async (repoId, userId, role) => {
      await db
        .insertInto('hub_collaborators')
        .values({ repo_id: repoId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['repo_id', 'user_id']).doUpdateSet({ role }))
        .execute();
    },
    removeCollaborator: async (repoId, userId) =>
      (
        await db
          .deleteFrom('hub_collaborators')
          .where('repo_id', '=', repoId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      ).numDeletedRows > 0n,

    pruneUnreachable: async () =>
      db.transaction().execute(async (q) => {
        // The reachable set must hold for all three deletes: on PostgreSQL no branch may move or be
        // made (a fork of a commit about to be pruned) until they are done; SHARE waits for writers in
        // flight and keeps new ones out. SQLite's single writer already has that.
        if (engine === 'postgres') await sql`LOCK TABLE hub_refs IN SHARE MODE`.execute(q);
        await sql`${REACHABLE} DELETE FROM hub_entries WHERE commit_oid NOT IN (SELECT oid FROM r)`.execute(
          q,
        );
        await sql`${REACHABLE} DELETE FROM hub_commit_blobs WHERE commit_oid NOT IN (SELECT oid FROM r)`.execute(
          q,
        );
        const pruned =
          await sql`${REACHABLE} DELETE FROM hub_commits WHERE oid NOT IN (SELECT oid FROM r)`.execute(q);
        return { commits: Number(pruned.numAffectedRows ?? 0n) };
      }),
    referencedBlobs: async () =>
      new Set(
        (await db.selectFrom('hub_entries').select('sha256').distinct().execute()).map((r) => r.sha256),
      ),
    storageUsage: async (ownerId, adding = []) => {
      const fresh = new Map(adding.map((a) => [a.sha256, a.size]));
      const parts = fresh.size === 0 ? [[]] : chunks([...fresh.keys()], 1);
      let usedBytes = 0;
      // One walk of the history (the CTE, used twice, is materialised on both engines) gives the sum
      // and which of the added blobs it already holds; another only past 30,000 added blobs.
      for (const part of parts) {
        const held =
          part.length === 0
            ? sql``
            : sql`UNION ALL SELECT NULL, sha256 FROM owned WHERE sha256 IN (${sql.join(part)})`;
        const { rows } = await sql<{ used: number | null; held: string | null }>`${ownedBlobs(ownerId)}
          SELECT COALESCE(SUM(size), 0) AS used, NULL AS held FROM owned ${held}`.execute(db);
        for (const r of rows) {
          if (r.used !== null) usedBytes = Number(r.used);
          if (r.held) fresh.delete(r.held);
        }
      }
      let addingBytes = 0;
      for (const size of fresh.values()) addingBytes += size;
      return { usedBytes, addingBytes };
    },

    // The count moves only with a row that was really added or removed: a like is counted once,
    // and concurrent likes of one repository each add theirs (the row lock serialises the increments).
    like: async (repoId, userId, at) =>
      db.transaction().execute(async (q) => {
        const added = await q
          .insertInto('hub_likes')
          .values({ repo_id: repoId, user_id: userId, created_at: at })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (added.numInsertedOrUpdatedRows === 1n) await likeCount(q, repoId, 1);
      }),
    unlike: async (repoId, userId) =>
      db.transaction().execute(async (q) => {
        const removed = await q
          .deleteFrom('hub_likes')
          .where('repo_id', '=', repoId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (removed.numDeletedRows === 1n) await likeCount(q, repoId, -1);
      }),
    hasLiked: async (repoId, userId) =>
      (await db
        .selectFrom('hub_likes')
        .select('repo_id')
        .where('repo_id', '=', repoId)
        .where('user_id', '=', userId)
        .executeTakeFirst()) !== undefined,
    likers: async (repoId) =>
      (
        await db
          .selectFrom('hub_likes as l')
          .innerJoin('accounts as a', 'a.id', 'l.user_id')
          .select(['a.name', 'l.created_at'])
          .where('l.repo_id', '=', repoId)
          .orderBy('l.created_at', 'desc')
          .execute()
      ).map((r) => ({ userName: r.name, at: r.created_at })),
    likedBy: async (userId) =>
      (
        await repoSelect(db)
          .innerJoin('hub_likes as l', 'l.repo_id', 'r.id')
          .select('l.created_at as liked_at')
          .where('l.user_id', '=', userId)
          .orderBy('l.created_at', 'desc')
          .execute()
      ).map((r) => ({ repo: toRepo(r), at: r.liked_at })),
  };
}
