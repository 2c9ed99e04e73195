import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SECRETS_SEALED_STEP } from '@atrium/server/atRest/sealSecretsOnce';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createUser, startTestServer, type TestServer, tempDataDir } from '../harness/index.js';
import { api } from '../spaces/runtimeTesting.js';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;
const octal = (m: number) => m.toString(8).padStart(3, '0');

/** Every folder and file under `dir` with its mode, relative to `dir`. */
function modesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      out.set(path.relative(dir, full), octal(modeOf(full)));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** A data directory as an earlier version (or a loose umask) left it: world-readable. */
function looseDataDir(): string {
  const dir = tempDataDir('atrium-at-rest');
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function withServer<T>(
  dataDir: string,
  fn: (s: TestServer) => Promise<T>,
  secretKey?: string,
): Promise<T> {
  // What is looked at are the SQLite files in the data directory, whatever ATRIUM_TEST_DATABASE says.
  const server = await startTestServer({ dataDir, seed: false, secretKey, databaseUrl: undefined });
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** A Space with one secret, set over the Hub API. */
async function spaceWithSecret(server: TestServer, value: string) {
  const alice = await createUser(server.url);
  await api(server.url, '/api/spaces/from-template', {
    body: { template: 'static-space', name: 'vault' },
    user: alice,
  });
  const id = `${alice.name}/vault`;
  const put = await api(server.url, `/api/spaces/${id}/secrets`, {
    body: { key: 'API_KEY', value },
    user: alice,
  });
  expect(put.status).toBe(200);
  const repo = await server.services.hub.repos.find('space', alice.name, 'vault');
  if (!repo) throw new Error('no Space');
  return repo.id;
}

const secretsOf = async (server: TestServer, repoId: string) =>
  (await server.services.spaceRuntimes.settings.env(repoId, 'secret')).map((e) => e.value);

/** Whether any of the database's files holds these bytes. */
const inDatabaseFiles = (dataDir: string, needle: string) =>
  ['atrium.db', 'atrium.db-wal'].some((f) => {
    const file = path.join(dataDir, f);
    return fs.existsSync(file) && fs.readFileSync(file).includes(needle);
  });

describe('state at rest', () => {
  it('makes the data directory, the database files and the blob folders owner-only, blob files readable', async () => {
    const dataDir = looseDataDir();
    try {
      await withServer(dataDir, async (server) => {
        await spaceWithSecret(server, 'x');
        const modes = modesUnder(dataDir);
        expect(octal(modeOf(dataDir))).toBe('700');
        for (const f of ['atrium.db', 'atrium.db-wal', 'atrium.db-shm', 'secret.key'])
          expect(modes.get(f), f).toBe('600');
        const blobs = [...modes].filter(([p]) => p.startsWith('blobs'));
        const folders = blobs.filter(([p]) => fs.statSync(path.join(dataDir, p)).isDirectory());
        const files = blobs.filter(([p]) => fs.statSync(path.join(dataDir, p)).isFile());
        expect(folders.length).toBeGreaterThan(2);
        expect(files.length).toBeGreaterThan(0);
        for (const [p, m] of folders) expect(m, p).toBe('700');
        // The model cache hard-links blob files for sandboxes, which read them as a non-root user.
        for (const [p, m] of files) expect(m, p).toBe('644');
      });
      // What an earlier version left loose is tightened at the next start.
      fs.chmodSync(dataDir, 0o755);
      fs.chmodSync(path.join(dataDir, 'atrium.db'), 0o644);
      fs.chmodSync(path.join(dataDir, 'blobs', 'sha256'), 0o755);
      await withServer(dataDir, async () => {
        expect(octal(modeOf(dataDir))).toBe('700');
        expect(octal(modeOf(path.join(dataDir, 'atrium.db')))).toBe('600');
        expect(octal(modeOf(path.join(dataDir, 'blobs', 'sha256')))).toBe('700');
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('seals Space secrets in the database with a key kept outside it, and they open after a restart', async () => {
    const dataDir = looseDataDir();
    const value = `s3cret-${randomBytes(8).toString('hex')}`;
    try {
      const repoId = await withServer(dataDir, (s) => spaceWithSecret(s, value));
      expect(inDatabaseFiles(dataDir, value)).toBe(false);
      expect(octal(modeOf(path.join(dataDir, 'secret.key')))).toBe('600');
      await withServer(dataDir, async (server) => expect(await secretsOf(server, repoId)).toEqual([value]));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('seals the plaintext secrets an earlier version stored, at start-up', async () => {
    const dataDir = looseDataDir();
    const value = `legacy-${randomBytes(8).toString('hex')}`;
    try {
      const repoId = await withServer(dataDir, async (server) => {
        const id = await spaceWithSecret(server, 'replaced');
        // As the previous version wrote it: the value in the clear, not marked sealed, and no record
        // of the sealing step (which that version did not have).
        await server.services.db.kysely
          .updateTable('space_env')
          .set({ value, sealed: 0 })
          .where('kind', '=', 'secret')
          .execute();
        await server.services.db.kysely.deleteFrom('meta').where('key', '=', SECRETS_SEALED_STEP).execute();
        return id;
      });
      expect(inDatabaseFiles(dataDir, value)).toBe(true);
      await withServer(dataDir, async (server) => {
        expect(await secretsOf(server, repoId)).toEqual([value]);
        await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(server.services.db.kysely);
        await sql`VACUUM`.execute(server.services.db.kysely);
        expect(inDatabaseFiles(dataDir, value)).toBe(false);
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes the key from ATRIUM_SECRET_KEY instead of a file, and says so when secrets were sealed with another', async () => {
    const dataDir = looseDataDir();
    const key = randomBytes(32).toString('hex');
    try {
      const repoId = await withServer(dataDir, (s) => spaceWithSecret(s, 'from-env'), key);
      expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
      await withServer(
        dataDir,
        async (server) => expect(await secretsOf(server, repoId)).toEqual(['from-env']),
        key,
      );
      await withServer(
        dataDir,
        async (server) => {
          // Names still list; the value does not open, and the error says why.
          const entries = await server.services.spaceRuntimes.settings.env(repoId, 'secret');
          expect(entries.map((e) => e.key)).toEqual(['API_KEY']);
          expect(() => entries[0]?.value).toThrow(/cannot be decrypted: the key \(ATRIUM_SECRET_KEY/);
        },
        randomBytes(32).toString('base64'),
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an ATRIUM_SECRET_KEY that is not 32 bytes', async () => {
    const dataDir = looseDataDir();
    try {
      await expect(startTestServer({ dataDir, seed: false, secretKey: 'too-short' })).rejects.toThrow(
        /32 bytes/,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
