import type { Migration } from '../../db/migrations.js';

/** Space settings kept across restarts: sleep time, paused, variables (public) and secrets (write-only). */
export const spaceRuntimeMigrations: Migration[] = [
  {
    id: 'spaces/001-settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE space_settings (
          repo_id TEXT PRIMARY KEY,
          sleep_seconds INTEGER,
          paused INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE space_env (
          repo_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('variable', 'secret')),
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          description TEXT,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (repo_id, kind, key)
        );
      `);
    },
  },
  {
    // Secrets are sealed with a key kept outside the database (atRest/SecretBox.ts); rows written
    // before this are sealed at start-up (sealPlaintextSecrets).
    id: 'spaces/002-sealed-secrets',
    up: (db) => db.exec('ALTER TABLE space_env ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0'),
  },
];
