import { randomBytes } from 'node:crypto';
import { SecretBox } from '@atrium/server/atRest/SecretBox';
import type { SpaceSettingsStore } from '@atrium/server/spaces/runtime/SpaceSettingsStore';
import {
  sealPlaintextSecrets,
  sqlSpaceSettingsStore,
} from '@atrium/server/spaces/runtime/sqlSpaceSettingsStore';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { describeOnEngines } from './engines.js';

const at = '2026-11-26T12:00:00.000Z';

describeOnEngines('the Space settings store', ({ db }) => {
  let box: SecretBox;
  let store: SpaceSettingsStore;

  beforeEach(() => {
    box = new SecretBox(randomBytes(32));
    store = sqlSpaceSettingsStore(db(), box);
  });

  it('tells the default sleep time (undefined) from "never" (null) and from a set number', async () => {
    expect(await store.sleepSeconds('r1')).toBeUndefined();
    await store.setSleepSeconds('r1', 300);
    expect(await store.sleepSeconds('r1')).toBe(300);
    await store.setSleepSeconds('r1', null);
    expect(await store.sleepSeconds('r1')).toBeNull();
  });

  it('keeps paused per Space', async () => {
    expect(await store.paused('r1')).toBe(false);
    await store.setPaused('r1', true);
    expect(await store.paused('r1')).toBe(true);
    expect(await store.paused('r2')).toBe(false);
  });

  it('replaces an entry with the same key and keeps variables and secrets apart', async () => {
    await store.putEnv('r1', 'variable', { key: 'A', value: '1', description: null, updatedAt: at });
    await store.putEnv('r1', 'variable', { key: 'A', value: '2', description: 'd', updatedAt: at });
    await store.putEnv('r1', 'secret', { key: 'A', value: 's', description: null, updatedAt: at });
    expect(await store.env('r1', 'variable')).toEqual([
      { key: 'A', value: '2', description: 'd', updatedAt: at },
    ]);
    expect((await store.env('r1', 'secret')).map((e) => e.value)).toEqual(['s']);
    expect(await store.deleteEnv('r1', 'secret', 'A')).toBe(true);
    expect(await store.deleteEnv('r1', 'secret', 'A')).toBe(false);
    expect(await store.env('r1', 'variable')).toHaveLength(1);
  });

  it('copies variables and the sleep time to a duplicate, never secrets or paused', async () => {
    await store.putEnv('src', 'variable', { key: 'V', value: 'v', description: null, updatedAt: at });
    await store.putEnv('src', 'secret', { key: 'S', value: 's', description: null, updatedAt: at });
    await store.setSleepSeconds('src', null);
    await store.setPaused('src', true);
    await store.putEnv('dst', 'variable', { key: 'W', value: 'mine', description: null, updatedAt: at });
    await store.putEnv('src', 'variable', { key: 'W', value: 'theirs', description: null, updatedAt: at });
    await store.copyPublicSettings('src', 'dst');
    expect((await store.env('dst', 'variable')).map((e) => [e.key, e.value])).toEqual([
      ['V', 'v'],
      ['W', 'mine'],
    ]);
    expect(await store.env('dst', 'secret')).toEqual([]);
    expect(await store.sleepSeconds('dst')).toBeNull();
    expect(await store.paused('dst')).toBe(false);
  });

  it('stores secrets sealed, and seals those an earlier version left in plaintext', async () => {
    await store.putEnv('r1', 'secret', { key: 'NEW', value: 'fresh', description: null, updatedAt: at });
    await db()
      .kysely.insertInto('space_env')
      .values({
        repo_id: 'r1',
        kind: 'secret',
        key: 'OLD',
        value: 'plain',
        description: null,
        updated_at: at,
      })
      .execute();
    expect(await sealPlaintextSecrets(db(), box)).toBe(1);
    expect(await sealPlaintextSecrets(db(), box)).toBe(0);
    const { rows } = await sql<{ value: string }>`SELECT value FROM space_env ORDER BY key`.execute(
      db().kysely,
    );
    expect(rows.map((r) => r.value)).not.toContain('plain');
    expect(rows.map((r) => r.value)).not.toContain('fresh');
    expect((await store.env('r1', 'secret')).map((e) => [e.key, e.value])).toEqual([
      ['NEW', 'fresh'],
      ['OLD', 'plain'],
    ]);
  });
});
