import type { Migration } from '../../db/migrations.js';

const settings = `
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
      `;

const sealedColumn = 'ALTER TABLE space_env ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0';

/** Space settings kept across restarts: sleep time, paused, variables (public) and secrets (write-only). */
export const spaceRuntimeMigrations: Migration[] = [
  // The same SQL on both engines (PostgreSQL keys compare byte by byte: COLLATE "C" on key).
  {
    id: 'spaces/001-settings',
    sqlite: settings,
    postgres: settings.replace('key TEXT', 'key TEXT COLLATE "C"'),
  },
  // Secrets are sealed with a key kept outside the database (atRest/SecretBox.ts); rows written
  // before this are sealed at start-up (sealPlaintextSecrets).
  { id: 'spaces/002-sealed-secrets', sqlite: sealedColumn, postgres: sealedColumn },
];
