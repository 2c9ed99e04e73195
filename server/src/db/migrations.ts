import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Tables } from './tables.js';

/**
 * One schema change, written for each engine. Ids are `<concern>/<nnn>-<what>`; each concern's list
 * is applied in order and recorded in `schema_migrations` (the same table and ids on both engines).
 */
export interface Migration {
  id: string;
  /** SQL script run on SQLite (several statements allowed). */
  sqlite: string;
  /** SQL script run on PostgreSQL (several statements allowed). */
  postgres: string;
}

function checkIds(migrations: readonly Migration[]): void {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`Duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the ids applied. */
export function applySqliteMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[],
): string[] {
  checkIds(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const seen = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const applied: string[] = [];
  for (const m of migrations) {
    if (seen.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      record.run(m.id, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}

/** Any fixed number: every Atrium process migrating one PostgreSQL database queues on this lock. */
const MIGRATION_LOCK = 0x41747269;

/**
 * The same on PostgreSQL, in one transaction under an advisory lock, so processes starting together
 * against one database apply each migration once (the others wait, then find it recorded).
 */
export async function applyPostgresMigrations(
  db: Kysely<Tables>,
  migrations: readonly Migration[],
): Promise<string[]> {
  checkIds(migrations);
  return db.transaction().execute(async (trx) => {
    // Waiting on another process's migration, or rewriting a large table, may outlast the pool's
    // statement timeout: lifted for this transaction only.
    await sql`SET LOCAL statement_timeout = 0`.execute(trx);
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`.execute(
      trx,
    );
    const seen = new Set((await trx.selectFrom('schema_migrations').select('id').execute()).map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (seen.has(m.id)) continue;
      // A script without parameters goes over the simple protocol, which runs several statements.
      await sql.raw(m.postgres).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ id: m.id, applied_at: new Date().toISOString() })
        .execute();
      applied.push(m.id);
    }
    return applied;
  });
}
