import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { spawnHelper } from './helperProcess.js';
import { requirement } from './requirements.js';
import { waitFor } from './waitFor.js';

/** A PostgreSQL server of the test's own, in a temporary folder, reached over a unix socket there. */
export interface TestPostgres {
  /** A fresh, empty database on this server: its `postgres://` URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** Debian's server binaries (`postgresql-15`): ATRIUM_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function postgresBinDir(): string | undefined {
  if (process.env.ATRIUM_PG_BIN) return process.env.ATRIUM_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

/** Whether PostgreSQL's server binaries are here; with ATRIUM_REQUIRE_POSTGRES=1 their absence fails. */
export const hasPostgres = () =>
  requirement('PostgreSQL', 'ATRIUM_REQUIRE_POSTGRES', () => postgresBinDir() !== undefined);

/** initdb refuses root: as root the server runs as the `postgres` account (else `nobody`). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {}
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL');
}

const SUPERUSER = 'atrium';
const FOLDER_PREFIX = 'atrium-pg-';

/** Whether a process with this id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders of servers whose test process was killed outright (their postmaster gone): removed. */
function removeAbandonedFolders(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      const pidFile = path.join(dir, 'data', 'postmaster.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      // Without a pid file the folder may be another test's initdb in progress: only old ones go.
      const abandoned = pid > 0 ? !alive(pid) : Date.now() - fs.statSync(dir).mtimeMs > 10 * 60_000;
      if (abandoned) fs.rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
}

let databases = 0;

/**
 * initdb into a temporary folder and start `postgres` on a unix socket in it (no TCP port to collide
 * with). fsync is off: these are throwaway databases, and the suites measure behaviour, not disks.
 */
export async function startTestPostgres(
  options: { settings?: Record<string, string> } = {},
): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error(
      'PostgreSQL server binaries not found (apt-get install postgresql-15, or set ATRIUM_PG_BIN)',
    );
  removeAbandonedFolders();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), FOLDER_PREFIX));
  const data = path.join(dir, 'data');
  const user = serverUser();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const asServer = user ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C', HOME: dir };
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { ...asServer, env, stdio: 'pipe', cwd: dir, timeout: 60_000 },
  );
  const settings = { fsync: 'off', full_page_writes: 'off', ...options.settings };
  const { child, exited, release } = spawnHelper(
    path.join(bin, 'postgres'),
    [
      '-D',
      data,
      '-k',
      dir,
      '-c',
      'listen_addresses=',
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...asServer, env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    () => fs.rmSync(dir, { recursive: true, force: true }),
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const urlOf = (database: string) => `postgres://${SUPERUSER}@/${database}?host=${encodeURIComponent(dir)}`;

  const ready = async () => {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    await Promise.race([
      waitFor(ready, { timeout: 60_000, what: 'PostgreSQL to accept connections' }),
      exited.then(() => {
        throw new Error('postgres exited while starting');
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${log}`);
  }

  return {
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const admin = new pg.Client({ connectionString: urlOf('postgres') });
      await admin.connect();
      try {
        // A natural-language collation (ICU English: case-blind, punctuation after letters), not the
        // server's C: the stores must get byte order from their own COLLATE "C", not from the locale.
        await admin.query(
          `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C'`,
        );
      } finally {
        await admin.end();
      }
      return urlOf(name);
    },
    async stop() {
      release();
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
