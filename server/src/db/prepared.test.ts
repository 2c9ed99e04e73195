import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metaMigrations, sqlMetaStore } from './metaStore.js';
import { type Database, openDatabase } from './openDatabase.js';
import { prepared } from './prepared.js';

describe('a prepared query', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-prepared-'));
    db = await openDatabase({ file: path.join(dir, 'db.sqlite') }, metaMigrations);
    const meta = sqlMetaStore(db);
    await meta.set('a', '1');
    await meta.set('b', '2');
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is built once and answers each call with that call’s arguments', async () => {
    let builds = 0;
    const valueFor = prepared(db, 1, (key: string) => {
      builds++;
      return db.kysely.selectFrom('meta').select('value').where('key', '=', key);
    });
    expect((await valueFor('a')).rows).toEqual([{ value: '1' }]);
    expect((await valueFor('b')).rows).toEqual([{ value: '2' }]);
    expect((await valueFor('missing')).rows).toEqual([]);
    expect(builds).toBe(1);
  });

  it('keeps the constants it was built with and places each argument where it is used', async () => {
    const either = prepared(db, 2, (first: string, second: string) =>
      db.kysely
        .selectFrom('meta')
        .select('key')
        .where((eb) => eb.or([eb('key', '=', second), eb('key', '=', first), eb('value', '=', '2')]))
        .orderBy('key'),
    );
    expect((await either('a', 'zzz')).rows.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('refuses a builder that drops an argument, instead of running with a wrong value', async () => {
    const broken = prepared(db, 1, (_key: string) => db.kysely.selectFrom('meta').select('value'));
    await expect(broken('a')).rejects.toThrow(/fewer than its 1 arguments/);
    await expect(broken('b')).rejects.toThrow(/fewer than its 1 arguments/);
  });
});
