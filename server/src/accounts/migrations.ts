import type { Migration } from '../db/migrations.js';

// Written the same on both engines.
const accounts = `
      -- Users and organizations share one namespace, as on the Hub.
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'org')),
        name TEXT NOT NULL,
        fullname TEXT NOT NULL,
        email TEXT,
        password_hash TEXT,
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );`;
const members = (extraColumn: string) => `
      CREATE TABLE org_members (
        org_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'write', 'read')),${extraColumn}
        PRIMARY KEY (org_id, user_id)
      );
      CREATE INDEX org_members_user ON org_members (user_id);`;
const sessionsAndTokens = (msType: string) => `
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at ${msType} NOT NULL
      );
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('read', 'write')),
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);`;

const FIRST_ADMIN = `
  CREATE TABLE first_admin (
    slot INTEGER PRIMARY KEY CHECK (slot = 1),
    user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
  );
  INSERT INTO first_admin (slot, user_id)
    SELECT 1, id FROM accounts WHERE kind = 'user' AND is_admin = 1 ORDER BY created_at LIMIT 1;`;

export const accountMigrations: Migration[] = [
  {
    id: 'accounts/001-accounts',
    sqlite: `${accounts}
      CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE);
      ${members('')}
      ${sessionsAndTokens('INTEGER')}`,
    postgres: `${accounts}
      -- SQLite's NOCASE folds ASCII only; lower() on ASCII names agrees.
      CREATE UNIQUE INDEX accounts_name ON accounts (lower(name));
      ${members(`
        -- Members are listed in the order they joined (SQLite: rowid).
        added BIGSERIAL NOT NULL,`)}
      ${sessionsAndTokens('BIGINT')}`,
  },
  {
    // Two first sign-ups at once both counted zero users and both became administrators; the claim
    // is now one row whose primary key admits a single winner on either engine.
    id: 'accounts/002-first-admin',
    sqlite: FIRST_ADMIN,
    postgres: FIRST_ADMIN,
  },
  {
    // Lists ordered by account name (collaborators, members) follow byte order as on SQLite,
    // whatever the PostgreSQL database's locale. SQLite already compares bytes.
    id: 'accounts/003-name-byte-order',
    sqlite: 'SELECT 1;',
    postgres: 'ALTER TABLE accounts ALTER COLUMN name TYPE TEXT COLLATE "C";',
  },
];
