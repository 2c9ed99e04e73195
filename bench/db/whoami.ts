// GET /api/whoami-v2 with a token: Atrium on PostgreSQL beside Atrium on SQLite (the default) in the
// same run, each in its own process (goal: PostgreSQL at least 0.6× SQLite's req/s).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, startServer } from '../foundation/whoami.js';
import { printTable } from '../lib/stats.js';
import { startDurablePostgres } from './durablePostgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION_S = Number(process.env.DURATION ?? 8);

export async function benchWhoAmIOnEngines() {
  const postgres = await startDurablePostgres();
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-db-sqlite-'));
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-db-pg-'));
  const server = path.join(here, '../foundation/whoamiServer.ts');
  const sqlite = await startServer(server, { ATRIUM_DATA_DIR: sqliteDir });
  const pg = await startServer(server, {
    ATRIUM_DATA_DIR: pgDir,
    ATRIUM_DATABASE_URL: await postgres.createDatabase(),
  });
  const rows: (string | number)[][] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const headers = (token?: string) => ({ authorization: `Bearer ${token}` });
      const s = await load(`${sqlite.url}/api/whoami-v2`, headers(sqlite.token));
      const p = await load(`${pg.url}/api/whoami-v2`, headers(pg.token));
      rows.push([`round ${i + 1}`, Math.round(s), Math.round(p), (p / s).toFixed(2)]);
    }
  } finally {
    await sqlite.stop();
    await pg.stop();
    await postgres.stop();
    fs.rmSync(sqliteDir, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
  const ratios = rows.map((r) => Number(r[3])).sort();
  printTable(
    `GET /api/whoami-v2 with a token, 32 connections, ${DURATION_S} s per round (req/s)`,
    ['round', 'Atrium on SQLite (default)', 'Atrium on PostgreSQL', 'ratio PostgreSQL / SQLite'],
    [...rows, ['median', '', '', ratios[Math.floor(ratios.length / 2)]!.toFixed(2)]],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWhoAmIOnEngines();
