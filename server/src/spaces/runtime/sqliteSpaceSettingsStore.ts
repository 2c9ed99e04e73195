import type { SecretBox } from '../../atRest/SecretBox.js';
import type { SqliteDatabase } from '../../db/openDatabase.js';
import type { SpaceEnvEntry, SpaceEnvKind, SpaceSettingsStore } from './SpaceSettingsStore.js';

interface EnvRow {
  key: string;
  value: string;
  description: string | null;
  updated_at: string;
  sealed: number;
}

/** What a secret is sealed to: its Space and its name, so a sealed value moved to another row does not open. */
const secretContext = (repoId: string, key: string) => `space-secret\0${repoId}\0${key}`;

/** Seals the secrets an earlier version stored in plaintext; returns how many. Run at start-up. */
export function sealPlaintextSecrets(db: SqliteDatabase, box: SecretBox): number {
  const rows = db
    .prepare<[], { repo_id: string; key: string; value: string }>(
      "SELECT repo_id, key, value FROM space_env WHERE kind = 'secret' AND sealed = 0",
    )
    .all();
  const seal = db.prepare<[string, string, string]>(
    "UPDATE space_env SET value = ?, sealed = 1 WHERE repo_id = ? AND kind = 'secret' AND key = ?",
  );
  db.transaction(() => {
    for (const r of rows) seal.run(box.seal(r.value, secretContext(r.repo_id, r.key)), r.repo_id, r.key);
  })();
  return rows.length;
}

/** SpaceSettingsStore on the server's SQLite database; secrets are sealed with `box`, variables are public. */
export function sqliteSpaceSettingsStore(db: SqliteDatabase, box: SecretBox): SpaceSettingsStore {
  const settings = db.prepare<[string], { sleep_seconds: number | null; paused: number }>(
    'SELECT sleep_seconds, paused FROM space_settings WHERE repo_id = ?',
  );
  const ensure = db.prepare<[string]>('INSERT OR IGNORE INTO space_settings (repo_id) VALUES (?)');
  const setSleep = db.prepare<[number, string]>(
    'UPDATE space_settings SET sleep_seconds = ? WHERE repo_id = ?',
  );
  const setPaused = db.prepare<[number, string]>('UPDATE space_settings SET paused = ? WHERE repo_id = ?');
  const envRows = db.prepare<[string, string], EnvRow>(
    'SELECT key, value, description, updated_at, sealed FROM space_env WHERE repo_id = ? AND kind = ? ORDER BY key',
  );
  const putEnv = db.prepare<[string, string, string, string, string | null, string, number]>(
    `INSERT INTO space_env (repo_id, kind, key, value, description, updated_at, sealed) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo_id, kind, key) DO UPDATE SET value = excluded.value,
       description = excluded.description, updated_at = excluded.updated_at, sealed = excluded.sealed`,
  );
  const deleteEnv = db.prepare<[string, string, string]>(
    'DELETE FROM space_env WHERE repo_id = ? AND kind = ? AND key = ?',
  );
  const copy = db.transaction((from: string, to: string) => {
    db.prepare(
      `INSERT OR IGNORE INTO space_env (repo_id, kind, key, value, description, updated_at)
       SELECT ?, kind, key, value, description, updated_at FROM space_env WHERE repo_id = ? AND kind = 'variable'`,
    ).run(to, from);
    const s = settings.get(from);
    if (s && s.sleep_seconds !== null && (settings.get(to)?.sleep_seconds ?? null) === null) {
      ensure.run(to);
      // -1 in the table stands for "never" (null means the default).
      setSleep.run(s.sleep_seconds, to);
    }
  });
  return {
    sleepSeconds: async (repoId) => {
      const s = settings.get(repoId)?.sleep_seconds;
      if (s === undefined || s === null) return undefined;
      return s < 0 ? null : s;
    },
    setSleepSeconds: async (repoId, seconds) => {
      ensure.run(repoId);
      setSleep.run(seconds === null ? -1 : seconds, repoId);
    },
    paused: async (repoId) => settings.get(repoId)?.paused === 1,
    setPaused: async (repoId, paused) => {
      ensure.run(repoId);
      setPaused.run(paused ? 1 : 0, repoId);
    },
    env: async (repoId, kind: SpaceEnvKind): Promise<SpaceEnvEntry[]> =>
      envRows.all(repoId, kind).map((r) => {
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
      const sealed = kind === 'secret';
      const value = sealed ? box.seal(e.value, secretContext(repoId, e.key)) : e.value;
      putEnv.run(repoId, kind, e.key, value, e.description, e.updatedAt, sealed ? 1 : 0);
    },
    deleteEnv: async (repoId, kind, key) => deleteEnv.run(repoId, kind, key).changes > 0,
    copyPublicSettings: async (from, to) => copy(from, to),
  };
}
