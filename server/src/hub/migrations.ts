import type { Migration } from '../db/migrations.js';

// Commits are immutable and content-named, so repositories can share them (the same on both engines).
const commits = `CREATE TABLE hub_commits (
        oid TEXT PRIMARY KEY,
        parent_oid TEXT,
        author_id TEXT,
        author_name TEXT NOT NULL,
        title TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL
      );`;

/** Collaborators and likes: the same on both engines but for SQLite's table option and PostgreSQL's collation. */
const peopleOfRepos = (tableOption: string, timeCollation: string) => `
      CREATE TABLE hub_collaborators (
        repo_id TEXT NOT NULL REFERENCES hub_repos(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'write', 'read')),
        PRIMARY KEY (repo_id, user_id)
      )${tableOption};
      CREATE INDEX hub_collaborators_user ON hub_collaborators (user_id);
      CREATE TABLE hub_likes (
        repo_id TEXT NOT NULL REFERENCES hub_repos(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at TEXT${timeCollation} NOT NULL,
        PRIMARY KEY (repo_id, user_id)
      )${tableOption};
      CREATE INDEX hub_likes_user ON hub_likes (user_id, created_at);`;

export const hubMigrations: Migration[] = [
  {
    id: 'hub/001-repos',
    sqlite: `
      -- A repository; its history lives in hub_commits, shared by every fork that points at it.
      CREATE TABLE hub_repos (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('model', 'space', 'notebook')),
        owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        sdk TEXT,
        created_at TEXT NOT NULL,
        last_modified TEXT NOT NULL,
        likes INTEGER NOT NULL DEFAULT 0,
        downloads INTEGER NOT NULL DEFAULT 0,
        forked_from_repo TEXT REFERENCES hub_repos(id) ON DELETE SET NULL,
        forked_from_commit TEXT
      );
      CREATE UNIQUE INDEX hub_repos_name ON hub_repos (type, owner_id, name COLLATE NOCASE);
      CREATE INDEX hub_repos_forked_from ON hub_repos (forked_from_repo);
      -- Branches: a fork copies these rows, never the commits or blobs behind them.
      CREATE TABLE hub_refs (
        repo_id TEXT NOT NULL REFERENCES hub_repos(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        commit_oid TEXT NOT NULL,
        PRIMARY KEY (repo_id, name)
      ) WITHOUT ROWID;
      ${commits}
      -- The full file list of each commit (a flat tree), pointing at blobs by sha256.
      CREATE TABLE hub_entries (
        commit_oid TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        git_oid TEXT NOT NULL,
        lfs INTEGER NOT NULL,
        PRIMARY KEY (commit_oid, path)
      ) WITHOUT ROWID;
      ${peopleOfRepos(' WITHOUT ROWID', '')}
    `,
    // Paths and names compare byte by byte, as in SQLite, whatever the database's locale: folder
    // listings are key ranges ('a/' ≤ path < 'a0'). Commit ids are lowercase hex: any locale agrees.
    postgres: `
      CREATE TABLE hub_repos (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('model', 'space', 'notebook')),
        owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        sdk TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        last_modified TEXT COLLATE "C" NOT NULL,
        likes INTEGER NOT NULL DEFAULT 0,
        downloads BIGINT NOT NULL DEFAULT 0,
        forked_from_repo TEXT REFERENCES hub_repos(id) ON DELETE SET NULL,
        forked_from_commit TEXT
      );
      CREATE UNIQUE INDEX hub_repos_name ON hub_repos (type, owner_id, lower(name));
      CREATE INDEX hub_repos_forked_from ON hub_repos (forked_from_repo);
      CREATE TABLE hub_refs (
        repo_id TEXT NOT NULL REFERENCES hub_repos(id) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL,
        commit_oid TEXT NOT NULL,
        PRIMARY KEY (repo_id, name)
      );
      ${commits}
      CREATE TABLE hub_entries (
        commit_oid TEXT NOT NULL,
        path TEXT COLLATE "C" NOT NULL,
        sha256 TEXT NOT NULL,
        size BIGINT NOT NULL,
        git_oid TEXT NOT NULL,
        lfs INTEGER NOT NULL,
        PRIMARY KEY (commit_oid, path)
      );
      ${peopleOfRepos('', ' COLLATE "C"')}
    `,
  },
  {
    id: 'hub/002-commit-blobs',
    sqlite: `
      -- The blobs each commit puts (its changes, not its whole tree): an account's storage is the union
      -- over the commits its branches reach, read without scanning every commit's full file list.
      CREATE TABLE hub_commit_blobs (
        commit_oid TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (commit_oid, sha256)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO hub_commit_blobs (commit_oid, sha256, size)
        SELECT e.commit_oid, e.sha256, e.size FROM hub_entries e
        JOIN hub_commits c ON c.oid = e.commit_oid
        LEFT JOIN hub_entries p ON p.commit_oid = c.parent_oid AND p.path = e.path AND p.sha256 = e.sha256
        WHERE p.commit_oid IS NULL;
    `,
    // PostgreSQL databases start with this migration's table, so there is nothing to backfill.
    postgres: `
      CREATE TABLE hub_commit_blobs (
        commit_oid TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size BIGINT NOT NULL,
        PRIMARY KEY (commit_oid, sha256)
      );
    `,
  },
];
