import type BetterSqlite3 from 'better-sqlite3';

/** One schema change. Ids are `<concern>/<nnn>-<what>`; each concern's list is applied in order. */
export interface Migration {
  id: string;
  up: (db: BetterSqlite3.Database) => void;
}

/** Applies every migration not yet recorded, each in its own transaction. Returns the ids applied. */
export function applyMigrations(db: BetterSqlite3.Database, migrations: readonly Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const seen = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const applied: string[] = [];
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`Duplicate migration id ${m.id}`);
    ids.add(m.id);
    if (seen.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.id, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}
