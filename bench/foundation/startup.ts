// `npm start` on an installed, built clone until /api/health answers (goal ≤ 3 s), with Docker and with
// Docker unreachable (the server must not wait for it), beside a bare `node` process serving an express
// "hello" measured the same way, in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, printTable } from '../lib/stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.RUNS ?? 5);

async function timeUntilHealthy(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  healthPath: string,
  /** Degraded (503: no Docker) still counts as answering. */
  answered: (status: number) => boolean = (status) => status === 200,
) {
  const started = performance.now();
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (performance.now() - started > 60_000) throw new Error(`${cmd} did not become healthy`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}${healthPath}`);
        if (answered(res.status)) return performance.now() - started;
      } catch {}
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function benchStartup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-start-'));
  const port = 3917;
  const env = { PORT: String(port), ATRIUM_DATA_DIR: dataDir, ATRIUM_LOG_LEVEL: 'warn' };
  // The first run seeds the data directory; the figure is about starting an existing install.
  await timeUntilHealthy('npm', ['start'], env, port, '/api/health');
  const bare = `import express from 'express'; const a = express(); a.get('/h', (_q, r) => r.send('ok')); a.listen(${port + 1});`;
  const atrium: number[] = [];
  const noDocker: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    atrium.push(await timeUntilHealthy('npm', ['start'], env, port, '/api/health'));
    noDocker.push(
      await timeUntilHealthy(
        'npm',
        ['start'],
        { ...env, DOCKER_HOST: 'unix:///tmp/atrium-bench-no-docker-here.sock' },
        port,
        '/api/health',
        (status) => status === 503,
      ),
    );
    peer.push(
      await timeUntilHealthy(
        'node',
        ['--input-type=module', '-e', bare],
        { NODE_PATH: root },
        port + 1,
        '/h',
      ),
    );
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  printTable(
    `npm start until /api/health answers (${RUNS} runs, ms)`,
    ['what', 'p50', 'max', 'goal'],
    [
      ['`npm start` (installed, built, seeded)', median(atrium), percentile(atrium, 100), '≤ 3000'],
      [
        'the same with Docker unreachable (health: degraded)',
        median(noDocker),
        percentile(noDocker, 100),
        '≤ 3000',
      ],
      ['peer: bare `node` + express hello', median(peer), percentile(peer, 100), ''],
    ],
  );
  return { atrium: median(atrium), noDocker: median(noDocker), peer: median(peer) };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
