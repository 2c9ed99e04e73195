import type { Migration } from '../db/migrations.js';

/** Schema of live documents: a snapshot per document and the log of updates since. */
export const collabMigrations: Migration[] = [
  {
    id: 'collab/001-documents',
    sqlite: `
        CREATE TABLE collab_snapshots (
          doc TEXT PRIMARY KEY,
          state BLOB NOT NULL,
          seq INTEGER NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE collab_updates (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          doc TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX collab_updates_doc_seq ON collab_updates (doc, seq);
      `,
    postgres: `
        CREATE TABLE collab_snapshots (
          doc TEXT PRIMARY KEY,
          state BYTEA NOT NULL,
          seq BIGINT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE collab_updates (
          seq BIGSERIAL PRIMARY KEY,
          doc TEXT NOT NULL,
          data BYTEA NOT NULL
        );
        CREATE INDEX collab_updates_doc_seq ON collab_updates (doc, seq);
      `,
  },
];
