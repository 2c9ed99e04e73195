import type { Migration } from './migrations.js';
import type { Database } from './openDatabase.js';

export const metaMigrations: Migration[] = [
  {
    id: 'meta/001-meta',
    sqlite: 'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    postgres: 'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  },
];

/** Small key/value facts about this instance (its id, which seeds ran). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function sqlMetaStore({ kysely }: Database): MetaStore {
  return {
    get: async (key) =>
      (await kysely.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value,
    set: async (key, value) => {
      await kysely
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
