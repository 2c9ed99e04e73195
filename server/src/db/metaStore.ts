import type { Migration } from './migrations.js';
import type { SqliteDatabase } from './openDatabase.js';

export const metaMigrations: Migration[] = [
  {
    id: 'meta/001-meta',
    up: (db) => db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'),
  },
];

/** Small key/value facts about this instance (its id, which seeds ran). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function sqliteMetaStore(db: SqliteDatabase): MetaStore {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: async (key) => get.get(key)?.value,
    set: async (key, value) => {
      set.run(key, value);
    },
  };
}
