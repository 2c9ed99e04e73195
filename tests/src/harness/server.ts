import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Atrium, type Config, loadConfig, type StartOptions, startAtrium } from '@atrium/server';
import { startTestPostgres, type TestPostgres } from './postgres.js';

export interface TestServer extends Atrium {
  dataDir: string;
  /** Closes the server and removes its data directory. */
  stop: () => Promise<void>;
}

export const tempDataDir = (label = 'atrium-test') => fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));

let postgres: Promise<TestPostgres> | undefined;
const databaseOfDataDir = new Map<string, Promise<string>>();

/**
 * With ATRIUM_TEST_DATABASE=postgres every test server keeps its stores in PostgreSQL: one server per
 * test process (started on first use, stopped when the process exits), one database per data
 * directory, so a restarted server finds its state again. Otherwise undefined: SQLite in the data dir.
 */
export function testDatabaseUrl(dataDir: string): Promise<string> | undefined {
  if (process.env.ATRIUM_TEST_DATABASE !== 'postgres') return undefined;
  postgres ??= startTestPostgres();
  let url = databaseOfDataDir.get(dataDir);
  if (!url) {
    url = postgres.then((server) => server.createDatabase());
    databaseOfDataDir.set(dataDir, url);
  }
  return url;
}

/** The real Atrium server in this process, on port 0, with a fresh data directory and quiet logs. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const config = loadConfig(
    {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_LOG_LEVEL: process.env.ATRIUM_TEST_LOG ?? 'silent',
    },
    { authRateLimit: 10_000, databaseUrl: await testDatabaseUrl(dataDir), ...overrides, dataDir },
  );
  const atrium = await startAtrium(config, options);
  return {
    ...atrium,
    dataDir,
    stop: async () => {
      await atrium.close();
      if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

const serverMain = () =>
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('@atrium/server/package.json')),
    'dist/main.js',
  );

/** The real server as a child process (for kill -9 and restart tests); resolves once it listens. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const databaseUrl = await testDatabaseUrl(dataDir);
  const child = spawn(process.execPath, [serverMain()], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_DATA_DIR: dataDir,
      ATRIUM_LOG_LEVEL: 'info',
      ATRIUM_AUTH_RATE_LIMIT: '10000',
      ...(databaseUrl ? { ATRIUM_DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${buffered}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(buffered);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${buffered}`));
    });
  });
  return { url, child, dataDir, exited };
}
