import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RepoRole, RepoSort, RepoType } from '@atrium/protocol';
import type { SqliteDatabase } from '../db/openDatabase.js';
import type {
  CommitOutcome,
  CommitRecord,
  FileEntry,
  NewCommit,
  RepoRecord,
  RepoStore,
} from './RepoStore.js';

interface RepoRow {
  id: string;
  type: RepoType;
  owner_id: string;
  owner_name: string;
  owner_kind: 'user' | 'org';
  name: string;
  private: number;
  sdk: string | null;
  created_at: string;
  last_modified: string;
  likes: number;
  downloads: number;
  head: string | null;
  forked_from_repo: string | null;
  forked_from_commit: string | null;
}

interface EntryRow {
  path: string;
  sha256: string;
  size: number;
  git_oid: string;
  lfs: number;
}

interface CommitRow {
  oid: string;
  parent_oid: string | null;
  author_id: string | null;
  author_name: string;
  title: string;
  message: string;
  created_at: string;
}

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

const REPO_SELECT = `SELECT r.id, r.type, r.owner_id, a.name AS owner_name, a.kind AS owner_kind, r.name, r.private, r.sdk,
  r.created_at, r.last_modified, r.likes, r.downloads, f.commit_oid AS head, r.forked_from_repo, r.forked_from_commit
  FROM hub_repos r JOIN accounts a ON a.id = r.owner_id LEFT JOIN hub_refs f ON f.repo_id = r.id AND f.name = 'main'`;

const SORTS: Record<RepoSort, string> = {
  likes: 'r.likes DESC, r.last_modified DESC',
  downloads: 'r.downloads DESC, r.last_modified DESC',
  lastModified: 'r.last_modified DESC',
  createdAt: 'r.created_at DESC',
  trendingScore: `(SELECT count(*) FROM hub_likes l WHERE l.repo_id = r.id AND l.created_at > @since) DESC, r.likes DESC, r.last_modified DESC`,
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

export function sqliteRepoStore(db: SqliteDatabase): RepoStore {
  const findStmt = db.prepare<[RepoType, string, string], RepoRow>(
    `${REPO_SELECT} WHERE r.type = ? AND a.name = ? COLLATE NOCASE AND r.name = ? COLLATE NOCASE`,
  );
  const findByIdStmt = db.prepare<[string], RepoRow>(`${REPO_SELECT} WHERE r.id = ?`);
  const nameTaken = db.prepare<[RepoType, string, string], { id: string }>(
    'SELECT id FROM hub_repos WHERE type = ? AND owner_id = ? AND name = ? COLLATE NOCASE',
  );
  const insertRepo = db.prepare(
    `INSERT INTO hub_repos (id, type, owner_id, name, private, sdk, created_at, last_modified, forked_from_repo, forked_from_commit)
     VALUES (@id, @type, @owner_id, @name, @private, @sdk, @created_at, @created_at, @forked_from_repo, @forked_from_commit)`,
  );
  const getRef = db.prepare<[string, string], { commit_oid: string }>(
    'SELECT commit_oid FROM hub_refs WHERE repo_id = ? AND name = ?',
  );
  const setRef = db.prepare(
    'INSERT INTO hub_refs (repo_id, name, commit_oid) VALUES (?, ?, ?) ON CONFLICT(repo_id, name) DO UPDATE SET commit_oid = excluded.commit_oid',
  );
  const allRefs = db.prepare<[string], { name: string; commit_oid: string }>(
    'SELECT name, commit_oid FROM hub_refs WHERE repo_id = ? ORDER BY name',
  );
  const insertCommit = db.prepare(
    `INSERT INTO hub_commits (oid, parent_oid, author_id, author_name, title, message, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const copyEntries = db.prepare(
    `INSERT INTO hub_entries (commit_oid, path, sha256, size, git_oid, lfs)
     SELECT ?, path, sha256, size, git_oid, lfs FROM hub_entries WHERE commit_oid = ?`,
  );
  const putEntry = db.prepare(
    `INSERT INTO hub_entries (commit_oid, path, sha256, size, git_oid, lfs) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(commit_oid, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, git_oid = excluded.git_oid, lfs = excluded.lfs`,
  );
  const putBlob = db.prepare(
    'INSERT OR IGNORE INTO hub_commit_blobs (commit_oid, sha256, size) VALUES (?, ?, ?)',
  );
  const deleteEntry = db.prepare('DELETE FROM hub_entries WHERE commit_oid = ? AND path = ?');
  const deleteFolder = db.prepare('DELETE FROM hub_entries WHERE commit_oid = ? AND path >= ? AND path < ?');
  const entryStmt = db.prepare<[string, string], EntryRow>(
    'SELECT path, sha256, size, git_oid, lfs FROM hub_entries WHERE commit_oid = ? AND path = ?',
  );
  const anyInFolder = db.prepare<[string, string, string], { path: string }>(
    'SELECT path FROM hub_entries WHERE commit_oid = ? AND path >= ? AND path < ? LIMIT 1',
  );
  const countInFolder = db.prepare<[string, string, string], { n: number }>(
    'SELECT count(*) AS n FROM hub_entries WHERE commit_oid = ? AND path >= ? AND path < ?',
  );
  const allEntries = db.prepare<[string], EntryRow>(
    'SELECT path, sha256, size, git_oid, lfs FROM hub_entries WHERE commit_oid = ? ORDER BY path',
  );
  const folderEntries = db.prepare<[string, string, string], EntryRow>(
    'SELECT path, sha256, size, git_oid, lfs FROM hub_entries WHERE commit_oid = ? AND path >= ? AND path < ? ORDER BY path',
  );
  const touchRepo = db.prepare('UPDATE hub_repos SET last_modified = ? WHERE id = ?');
  const commitStmt = db.prepare<[string], CommitRow>('SELECT * FROM hub_commits WHERE oid = ?');
  const historyStmt = db.prepare<[string, number, number], CommitRow>(
    `WITH RECURSIVE h(oid, depth) AS (
       SELECT ?, 0
       UNION ALL SELECT c.parent_oid, h.depth + 1 FROM hub_commits c JOIN h ON c.oid = h.oid WHERE c.parent_oid IS NOT NULL
     ) SELECT c.* FROM h JOIN hub_commits c ON c.oid = h.oid ORDER BY h.depth LIMIT ? OFFSET ?`,
  );
  const countHistoryStmt = db.prepare<[string], { n: number }>(
    `WITH RECURSIVE h(oid) AS (
       SELECT ? UNION ALL SELECT c.parent_oid FROM hub_commits c JOIN h ON c.oid = h.oid WHERE c.parent_oid IS NOT NULL
     ) SELECT count(*) AS n FROM h`,
  );
  const findInHistory = db.prepare<[string, string, string], { oid: string }>(
    `WITH RECURSIVE h(oid) AS (
       SELECT ? UNION ALL SELECT c.parent_oid FROM hub_commits c JOIN h ON c.oid = h.oid WHERE c.parent_oid IS NOT NULL
     ) SELECT oid FROM h WHERE oid >= ? AND oid < ? LIMIT 2`,
  );
  const removeRepo = db.prepare('DELETE FROM hub_repos WHERE id = ?');
  const moveRepo = db.prepare('UPDATE hub_repos SET owner_id = ?, name = ? WHERE id = ?');
  const setPrivateStmt = db.prepare('UPDATE hub_repos SET private = ? WHERE id = ?');
  const forksStmt = db.prepare<[string], RepoRow>(
    `${REPO_SELECT} WHERE r.forked_from_repo = ? ORDER BY r.created_at`,
  );
  const collabRole = db.prepare<[string, string], { role: RepoRole }>(
    'SELECT role FROM hub_collaborators WHERE repo_id = ? AND user_id = ?',
  );
  const collabList = db.prepare<[string], { user_id: string; name: string; role: RepoRole }>(
    'SELECT c.user_id, a.name, c.role FROM hub_collaborators c JOIN accounts a ON a.id = c.user_id WHERE c.repo_id = ? ORDER BY a.name',
  );
  const setCollab = db.prepare(
    'INSERT INTO hub_collaborators (repo_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT(repo_id, user_id) DO UPDATE SET role = excluded.role',
  );
  const removeCollab = db.prepare('DELETE FROM hub_collaborators WHERE repo_id = ? AND user_id = ?');
  const insertLike = db.prepare(
    'INSERT INTO hub_likes (repo_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const deleteLike = db.prepare('DELETE FROM hub_likes WHERE repo_id = ? AND user_id = ?');
  const recountLikes = db.prepare(
    'UPDATE hub_repos SET likes = (SELECT count(*) FROM hub_likes WHERE repo_id = ?) WHERE id = ?',
  );
  const hasLikedStmt = db.prepare<[string, string], { x: number }>(
    'SELECT 1 AS x FROM hub_likes WHERE repo_id = ? AND user_id = ?',
  );
  const likersStmt = db.prepare<[string], { name: string; created_at: string }>(
    'SELECT a.name, l.created_at FROM hub_likes l JOIN accounts a ON a.id = l.user_id WHERE l.repo_id = ? ORDER BY l.created_at DESC',
  );
  const likedByStmt = db.prepare<[string], RepoRow & { liked_at: string }>(
    `${REPO_SELECT.replace('FROM hub_repos r', ', l.created_at AS liked_at FROM hub_repos r')} JOIN hub_likes l ON l.repo_id = r.id
     WHERE l.user_id = ? ORDER BY l.created_at DESC`,
  );

  const REACHABLE = `WITH RECURSIVE r(oid) AS (
      SELECT commit_oid FROM hub_refs
      UNION SELECT c.parent_oid FROM hub_commits c JOIN r ON c.oid = r.oid WHERE c.parent_oid IS NOT NULL
    )`;
  const pruneEntries = db.prepare(
    `${REACHABLE} DELETE FROM hub_entries WHERE commit_oid NOT IN (SELECT oid FROM r)`,
  );
  const pruneCommitBlobs = db.prepare(
    `${REACHABLE} DELETE FROM hub_commit_blobs WHERE commit_oid NOT IN (SELECT oid FROM r)`,
  );
  const pruneCommits = db.prepare(
    `${REACHABLE} DELETE FROM hub_commits WHERE oid NOT IN (SELECT oid FROM r)`,
  );
  const referenced = db.prepare<[], { sha256: string }>('SELECT DISTINCT sha256 FROM hub_entries');
  // An account's blobs: those put by any commit its repositories' branches reach (so every blob their
  // trees name: a tree only changes by puts).
  const usageStmt = db.prepare<[string, string], { used: number; adding: number }>(
    `WITH RECURSIVE r(oid) AS (
       SELECT f.commit_oid FROM hub_refs f JOIN hub_repos p ON p.id = f.repo_id WHERE p.owner_id = ?
       UNION SELECT c.parent_oid FROM hub_commits c JOIN r ON c.oid = r.oid WHERE c.parent_oid IS NOT NULL
     ), owned AS (SELECT DISTINCT b.sha256, b.size FROM hub_commit_blobs b JOIN r ON b.commit_oid = r.oid),
     adding AS (SELECT DISTINCT json_extract(value, '$[0]') AS sha256, json_extract(value, '$[1]') AS size FROM json_each(?))
     SELECT (SELECT COALESCE(SUM(size), 0) FROM owned) AS used,
            (SELECT COALESCE(SUM(size), 0) FROM adding WHERE sha256 NOT IN (SELECT sha256 FROM owned)) AS adding`,
  );
  const pruneTx = db.transaction(() => {
    pruneEntries.run();
    pruneCommitBlobs.run();
    return pruneCommits.run().changes;
  });

  /** Applies a commit inside the caller's transaction; returns the outcome without throwing. */
  function applyCommit(c: NewCommit, parent: string | null): CommitOutcome {
    for (const p of c.changes.deleteFiles) {
      if (!parent || !entryStmt.get(parent, p)) return { ok: false, reason: 'missing_path', path: p };
    }
    for (const f of c.changes.deleteFolders) {
      if (!parent || !anyInFolder.get(parent, ...folderRange(f)))
        return { ok: false, reason: 'missing_path', path: f };
    }
    const oid = commitOid(c, parent);
    insertCommit.run(oid, parent, c.authorId, c.authorName, c.title, c.message, c.createdAt);
    if (parent) copyEntries.run(oid, parent);
    for (const p of c.changes.deleteFiles) deleteEntry.run(oid, p);
    for (const f of c.changes.deleteFolders) deleteFolder.run(oid, ...folderRange(f));
    for (const e of c.changes.put) {
      putEntry.run(oid, e.path, e.sha256, e.size, e.gitOid, e.lfs ? 1 : 0);
      putBlob.run(oid, e.sha256, e.size);
    }
    // A path cannot be both a file and a folder.
    for (const e of c.changes.put) {
      if (anyInFolder.get(oid, ...folderRange(e.path)))
        return { ok: false, reason: 'path_conflict', path: e.path };
      for (let i = e.path.indexOf('/'); i !== -1; i = e.path.indexOf('/', i + 1)) {
        if (entryStmt.get(oid, e.path.slice(0, i)))
          return { ok: false, reason: 'path_conflict', path: e.path };
      }
    }
    setRef.run(c.repoId, c.branch, oid);
    touchRepo.run(c.createdAt, c.repoId);
    return { ok: true, oid };
  }

  class Rollback extends Error {
    constructor(readonly outcome: CommitOutcome) {
      super('rollback');
    }
  }

  const commitTx = db.transaction((c: NewCommit): CommitOutcome => {
    const head = getRef.get(c.repoId, c.branch)?.commit_oid ?? null;
    if (!head) return { ok: false, reason: 'no_branch', head };
    if (c.expectedHead !== undefined && c.expectedHead !== head)
      return { ok: false, reason: 'stale_parent', head };
    const outcome = applyCommit(c, head);
    if (!outcome.ok) throw new Rollback(outcome);
    return outcome;
  });

  const createTx = db.transaction((input: Parameters<RepoStore['create']>[0]): RepoRecord | undefined => {
    if (nameTaken.get(input.type, input.ownerId, input.name)) return undefined;
    const id = randomUUID();
    insertRepo.run({
      id,
      type: input.type,
      owner_id: input.ownerId,
      name: input.name,
      private: input.private ? 1 : 0,
      sdk: input.sdk,
      created_at: input.createdAt,
      forked_from_repo: input.forkedFrom?.repoId ?? null,
      forked_from_commit: input.forkedFrom?.commit ?? null,
    });
    if (input.forkedFrom) {
      for (const ref of input.forkedFrom.refs) setRef.run(id, ref.name, ref.commit);
    } else {
      const outcome = applyCommit({ ...input.initialCommit, repoId: id, branch: 'main' }, null);
      if (!outcome.ok) throw new Rollback(outcome);
    }
    const row = findByIdStmt.get(id);
    return row && toRepo(row);
  });

  const likeTx = db.transaction((repoId: string, userId: string, at: string | null) => {
    if (at) insertLike.run(repoId, userId, at);
    else deleteLike.run(repoId, userId);
    recountLikes.run(repoId, repoId);
  });

  return {
    find: async (type, owner, name) => {
      const row = findStmt.get(type, owner, name);
      return row && toRepo(row);
    },
    findById: async (id) => {
      const row = findByIdStmt.get(id);
      return row && toRepo(row);
    },
    create: async (input) => {
      try {
        return createTx(input);
      } catch (err) {
        if (err instanceof Rollback)
          throw new Error(`initial commit refused: ${JSON.stringify(err.outcome)}`);
        throw err;
      }
    },
    remove: async (id) => {
      removeRepo.run(id);
    },
    move: async (id, ownerId, name) => {
      const repo = findByIdStmt.get(id);
      if (!repo) return false;
      const taken = nameTaken.get(repo.type, ownerId, name);
      if (taken && taken.id !== id) return false;
      moveRepo.run(ownerId, name, id);
      return true;
    },
    setPrivate: async (id, value) => {
      setPrivateStmt.run(value ? 1 : 0, id);
    },
    list: async (q) => {
      const where = ['r.type = @type'];
      if (!q.viewerIsAdmin) {
        where.push(`(r.private = 0 OR r.owner_id = @viewer
          OR EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = r.owner_id AND m.user_id = @viewer)
          OR EXISTS (SELECT 1 FROM hub_collaborators c WHERE c.repo_id = r.id AND c.user_id = @viewer))`);
      }
      if (q.search) where.push(`(a.name || '/' || r.name) LIKE @search ESCAPE '\\'`);
      if (q.author) where.push('a.name = @author COLLATE NOCASE');
      const sql = `${REPO_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${SORTS[q.sort]}, r.id LIMIT @limit OFFSET @offset`;
      const rows = db.prepare<Record<string, unknown>, RepoRow>(sql).all({
        type: q.type,
        viewer: q.viewerId ?? '',
        search: q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
        author: q.author ?? null,
        limit: q.limit,
        offset: q.offset,
        since: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      });
      return rows.map(toRepo);
    },
    forksOf: async (id) => forksStmt.all(id).map(toRepo),

    refs: async (repoId) => allRefs.all(repoId).map((r) => ({ name: r.name, commit: r.commit_oid })),
    resolveRevision: async (repoId, rev) => {
      const branch = rev === 'HEAD' ? 'main' : rev;
      const ref = getRef.get(repoId, branch);
      if (ref) return ref.commit_oid;
      if (!/^[0-9a-f]{7,40}$/.test(rev)) return undefined;
      for (const r of allRefs.all(repoId)) {
        const hits = findInHistory.all(r.commit_oid, rev, `${rev}g`);
        if (hits.length === 1) return hits[0]?.oid;
      }
      return undefined;
    },
    commit: async (c) => {
      try {
        return commitTx(c);
      } catch (err) {
        if (err instanceof Rollback) return err.outcome;
        throw err;
      }
    },
    getCommit: async (oid) => {
      const row = commitStmt.get(oid);
      return row && toCommit(row);
    },
    history: async (oid, limit, offset) => historyStmt.all(oid, limit, offset).map(toCommit),
    countHistory: async (oid) => countHistoryStmt.get(oid)?.n ?? 0,

    entry: async (commit, path) => {
      const row = entryStmt.get(commit, path);
      return row && toEntry(row);
    },
    entries: async (commit, folder) =>
      (folder === '' ? allEntries.all(commit) : folderEntries.all(commit, ...folderRange(folder))).map(
        toEntry,
      ),
    lastCommitOf: async (commit, path, maxDepth) => {
      let current = commitStmt.get(commit);
      const isFolderLike = !entryStmt.get(commit, path);
      // Comparing big folders commit by commit would block the event loop: those get no last commit.
      if (isFolderLike && countInFolder.get(commit, ...folderRange(path))!.n > MAX_FOLDER_COMPARE)
        return undefined;
      const signature = (oid: string | null) => {
        if (!oid) return '';
        if (!isFolderLike) return entryStmt.get(oid, path)?.sha256 ?? '';
        return folderEntries
          .all(oid, ...folderRange(path))
          .map((e) => `${e.path}:${e.sha256}`)
          .join('\n');
      };
      for (let depth = 0; current && depth < maxDepth; depth++) {
        if (signature(current.oid) !== signature(current.parent_oid)) return toCommit(current);
        current = current.parent_oid ? commitStmt.get(current.parent_oid) : undefined;
      }
      // Not found within the depth bound: say nothing rather than something wrong.
      return undefined;
    },

    collaboratorRole: async (repoId, userId) => collabRole.get(repoId, userId)?.role,
    collaborators: async (repoId) =>
      collabList.all(repoId).map((r) => ({ userId: r.user_id, userName: r.name, role: r.role })),
    setCollaborator: async (repoId, userId, role) => {
      setCollab.run(repoId, userId, role);
    },
    removeCollaborator: async (repoId, userId) => removeCollab.run(repoId, userId).changes > 0,

    pruneUnreachable: async () => ({ commits: pruneTx() }),
    referencedBlobs: async () => new Set(referenced.all().map((r) => r.sha256)),
    storageUsage: async (ownerId, adding = []) => {
      const row = usageStmt.get(ownerId, JSON.stringify(adding.map((a) => [a.sha256, a.size])));
      return { usedBytes: row?.used ?? 0, addingBytes: row?.adding ?? 0 };
    },

    like: async (repoId, userId, at) => likeTx(repoId, userId, at),
    unlike: async (repoId, userId) => likeTx(repoId, userId, null),
    hasLiked: async (repoId, userId) => hasLikedStmt.get(repoId, userId) !== undefined,
    likers: async (repoId) => likersStmt.all(repoId).map((r) => ({ userName: r.name, at: r.created_at })),
    likedBy: async (userId) => likedByStmt.all(userId).map((r) => ({ repo: toRepo(r), at: r.liked_at })),
  };
}
