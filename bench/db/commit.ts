// One NDJSON commit of 1,000 small files on PostgreSQL (goal ≤ 2 s) beside the same commit on SQLite,
// in the same run, each through POST /api/models/{id}/commit/main of an in-process server.
import fs from 'node:fs';
import { smallFiles, timeNdjsonCommit } from '../hub/commit.js';
import { startInProcess } from '../hub/seed.js';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';
import { startDurablePostgres } from './durablePostgres.js';

const FILES = 1000;
const RUNS = Number(process.env.RUNS ?? 5);

export async function benchCommitOnEngines() {
  const postgres = await startDurablePostgres();
  const sqlite = await startInProcess();
  const pg = await startInProcess(undefined, await postgres.createDatabase());
  const ms = { sqlite: [] as number[], pg: [] as number[] };
  try {
    const tokens = {
      sqlite: await signUp(sqlite.atrium.url, 'bench-owner'),
      pg: await signUp(pg.atrium.url, 'bench-owner'),
    };
    for (let run = 0; run < RUNS; run++) {
      const files = smallFiles(FILES);
      ms.sqlite.push(
        await timeNdjsonCommit(sqlite.atrium.url, tokens.sqlite, 'bench-owner', `c-${run}`, files),
      );
      ms.pg.push(await timeNdjsonCommit(pg.atrium.url, tokens.pg, 'bench-owner', `c-${run}`, files));
    }
  } finally {
    await sqlite.atrium.close();
    await pg.atrium.close();
    await postgres.stop();
    fs.rmSync(sqlite.dataDir, { recursive: true, force: true });
    fs.rmSync(pg.dataDir, { recursive: true, force: true });
  }
  const row = (label: string, v: number[]) => [
    label,
    median(v),
    Math.min(...v),
    Math.max(...v),
    median(v) / median(ms.sqlite),
  ];
  printTable(
    `Hub: one NDJSON commit of ${FILES} small files (median of ${RUNS}, ms)`,
    ['engine', 'median ms', 'min ms', 'max ms', 'ratio to SQLite'],
    [row('Atrium on PostgreSQL', ms.pg), row('peer: Atrium on SQLite (default)', ms.sqlite)],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCommitOnEngines();
