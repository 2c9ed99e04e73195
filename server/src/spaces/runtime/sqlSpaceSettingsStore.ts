import type { SecretBox } from '../../atRest/SecretBox.js';
import type { Database } from '../../db/openDatabase.js';
import type { SpaceEnvEntry, SpaceEnvKind, SpaceSettingsStore } from './SpaceSettingsStore.js';

/** What a secret is sealed to: its Space and its name, so a sealed value moved to another row does not open. */
const secretContext = (repoId: string, key: string) => `space-secret\0${repoId}\0${key}`;

/** Seals the secrets an earlier version stored in plaintext; returns how many. Run at start-up. */
export async function sealPlaintextSecrets({ kysely: db }: Database, box: SecretBox): Promise<number> {
  return db.transaction().execute(async (q) => {
    const rows = await q
      .selectFrom('space_env')
      .select(['repo_id', 'key', 'value'])
      .where('kind', '=', 'secret')
      .where('sealed', '=', 0)
      .execute();
    for (const r of rows)
      await q
        .updateTable('space_env')
        .set({ value: box.seal(r.value, secretContext(r.repo_id, r.key)), sealed: 1 })
        .where('repo_id', '=', r.repo_id)
        .where('kind', '=', 'secret')
        .where('key', '=', r.key)
        .where('sealed', '=', 0)
        .execute();
    return rows.length;
  });
}

/** SpaceSettingsStore on either engine; secrets are sealed with `box`, variables are public. */
export function sqlSpaceSettingsStore({ kysely: db }: Database, box: SecretBox): SpaceSettingsStore {
  const settings = (repoId: string, q = db) =>
    q
      .selectFrom('space_settings')
      .select(['sleep_seconds', 'paused'])
      .where('repo_id', '=', repoId)
      .executeTakeFirst();
  const update = async (repoId: string, set: { sleep_seconds?: number; paused?: number }, q = db) => {
    await q
      .insertInto('space_settings')
      .values({ repo_id: repoId, ...set })
      .onConflict((oc) => oc.column('repo_id').doUpdateSet(set))
      .execute();
  };
  return {
    sleepSeconds: async (repoId) => {
      const s = (await settings(repoId))?.sleep_seconds;
      if (s === undefined || s === null) return undefined;
      // -1 in the table stands for "never" (null means the default).
      return s < 0 ? null : s;
    },
    setSleepSeconds: (repoId, seconds) => update(repoId, { sleep_seconds: seconds === null ? -1 : seconds }),
    paused: async (repoId) => (await settings(repoId))?.paused === 1,
    setPaused: (repoId, paused) => update(repoId, { paused: paused ? 1 : 0 }),
    env: async (repoId, kind: SpaceEnvKind): Promise<SpaceEnvEntry[]> =>
      (
        await db
          .selectFrom('space_env')
          .select(['key', 'value', 'description', 'updated_at', 'sealed'])
          .where('repo_id', '=', repoId)
          .where('kind', '=', kind)
          .orderBy('key')
          .execute()
      ).map((r) => {
        const { key, description, updated_at: updatedAt } = r;
        if (!r.sealed) return { key, value: r.value, description, updatedAt };
        // Opened only when read (starting the Space), never to list names.
        return {
          key,
          description,
          updatedAt,
          get value() {
            return box.open(r.value, secretContext(repoId, key), `Secret ${key} of this Space`);
          },
        };
      }),
    putEnv: async (repoId, kind, e) => {
      const sealed = kind === 'secret' ? 1 : 0;
      const value = sealed ? box.seal(e.value, secretContext(repoId, e.key)) : e.value;
      const row = { value, description: e.description, updated_at: e.updatedAt, sealed };
      await db
        .insertInto('space_env')
        .values({ repo_id: repoId, kind, key: e.key, ...row })
        .onConflict((oc) => oc.columns(['repo_id', 'kind', 'key']).doUpdateSet(row))
        .execute();
    },
    deleteEnv: async (repoId, kind, key) =>
      (
        await db
          .deleteFrom('space_env')
          .where('repo_id', '=', repoId)
          .where('kind', '=', kind)
          .where('key', '=', key)
          .executeTakeFirst()
      ).numDeletedRows > 0n,
    copyPublicSettings: (from, to) =>
      db.transaction().execute(async (q) => {
        await q
          .insertInto('space_env')
          .columns(['repo_id', 'kind', 'key', 'value', 'description', 'updated_at'])
          .expression((eb) =>
            eb
              .selectFrom('space_env')
              .select([
                eb.cast<string>(eb.val(to), 'text').as('repo_id'),
                'kind',
                'key',
                'value',
                'description',
                'updated_at',
              ])
              .where('repo_id', '=', from)
              .where('kind', '=', 'variable'),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
        const s = await settings(from, q);
        if (s && s.sleep_seconds !== null && ((await settings(to, q))?.sleep_seconds ?? null) === null)
          await update(to, { sleep_seconds: s.sleep_seconds }, q);
      }),
  };
}
