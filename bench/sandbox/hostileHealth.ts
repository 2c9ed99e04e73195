// /api/health while 100,000 hostile lines flow from sandboxes into the server (issue 12's fuzz
// workload), beside an idle server measured in the same run, for runc and runsc.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzReport } from '@atrium/tests/src/sandbox/channelFuzz.js';
import {
  spawnSandboxServer,
  startKeyTap,
  stopServer,
  type WatchedServer,
} from '@atrium/tests/src/sandbox/hostileTesting.js';
import { median, percentile, printTable } from '../lib/stats.js';

const RUNTIMES = ['runc', 'runsc'] as const;
const LINES = Number(process.env.BENCH_FUZZ_LINES ?? 100_000);
/** Rounds of the fuzz per runtime: one round gives ~150 answers, too few for a p99 that is not just the maximum. */
const ROUNDS = Number(process.env.BENCH_FUZZ_ROUNDS ?? 3);
const POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fuzzDriver.ts');

/** Runs the fuzz workload against `url` in a child process; resolves with its report. */
function fuzzInChild(url: string, socketPath: string, keysDir: string): Promise<Omit<FuzzReport, 'health'>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', driver, url, socketPath, keysDir, String(LINES)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('REPORT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('REPORT '.length)));
      else reject(new Error(`the fuzz driver exited with ${code}: ${out.slice(-2000)}`));
    }),
  );
}

interface Polled {
  /** GET /api/health, ms. */
  health: number[];
  /** The Docker ping inside each health answer (checks.docker.latencyMs): dockerd's share. */
  dockerPing: number[];
  /** GET /api/whoami-v2 without a token (401 from express, no Docker, no database): the server's own share. */
  plain: number[];
}

/** Polls /api/health (and a request that touches neither Docker nor the database) until stopped. */
function pollHealth(url: string): { stop: () => Promise<Polled> } {
  const polled: Polled = { health: [], dockerPing: [], plain: [] };
  let polling = true;
  const loop = (async () => {
    while (polling) {
      let t = performance.now();
      const res = await fetch(`${url}/api/health`);
      const body = (await res.json()) as { checks: { docker: { latencyMs: number } } };
      polled.health.push(performance.now() - t);
      polled.dockerPing.push(body.checks.docker.latencyMs);
      t = performance.now();
      await (await fetch(`${url}/api/whoami-v2`)).arrayBuffer();
      polled.plain.push(performance.now() - t);
      await sleep(POLL_MS);
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await loop;
      return polled;
    },
  };
}

interface Row {
  fuzzed: Polled;
  idle: Polled;
  lines: number;
  seconds: number;
  dropped: number;
}

async function measure(runtime: (typeof RUNTIMES)[number]): Promise<Row> {
  const tap = await startKeyTap();
  let fuzzed: WatchedServer | undefined;
  let idle: WatchedServer | undefined;
  try {
    fuzzed = await spawnSandboxServer(runtime, {
      DOCKER_HOST: `unix://${tap.socketPath}`,
      ATRIUM_EXECUTION_TIMEOUT_S: '120',
    });
    idle = await spawnSandboxServer(runtime);
    // This process only polls: both servers are measured the same way, by an unbusy client.
    const idlePoll = pollHealth(idle.url);
    const fuzzedPoll = pollHealth(fuzzed.url);
    const reports = [];
    for (let round = 0; round < ROUNDS; round++) {
      const report = await fuzzInChild(fuzzed.url, tap.socketPath, tap.keysDir);
      if (fuzzed.child.exitCode !== null || fuzzed.escapes.length > 0 || report.honestFailures.length > 0)
        throw new Error(`the fuzzed server failed: ${JSON.stringify(report)}`);
      reports.push(report);
    }
    const [fuzzedLatencies, idleLatencies] = [await fuzzedPoll.stop(), await idlePoll.stop()];
    const checks = (await (await fetch(`${fuzzed.url}/api/health`)).json()) as {
      checks: { sandboxOutput: { dropped: number } };
    };
    return {
      fuzzed: fuzzedLatencies,
      idle: idleLatencies,
      lines: reports.reduce((sum, r) => sum + r.kernelLines + r.appLines, 0),
      seconds: reports.reduce((sum, r) => sum + r.seconds, 0),
      dropped: checks.checks.sandboxOutput.dropped,
    };
  } finally {
    await stopServer(fuzzed);
    await stopServer(idle);
    await tap.close();
  }
}

export async function benchHostileHealth(): Promise<void> {
  const rows: (string | number)[][] = [];
  const figures = (what: string, polled: Polled, goal: string) => [
    what,
    polled.health.length,
    median(polled.health),
    percentile(polled.health, 99),
    Math.max(...polled.health),
    percentile(polled.dockerPing, 99),
    median(polled.plain),
    percentile(polled.plain, 99),
    goal,
  ];
  for (const runtime of RUNTIMES) {
    const r = await measure(runtime);
    rows.push(
      figures(
        `${runtime}: under the fuzz (${r.lines} lines in ${r.seconds.toFixed(0)} s, ${r.dropped} dropped)`,
        r.fuzzed,
        '≤ 50',
      ),
      figures(`${runtime}: peer, an idle server in the same run`, r.idle, '—'),
    );
  }
  printTable(
    `GET /api/health every ${POLL_MS} ms while hostile sandboxes write, beside an idle server (ms)`,
    [
      'server',
      'answers',
      'health p50',
      'health p99',
      'health max',
      'its Docker ping p99',
      'plain request p50',
      'plain request p99',
      'goal health p99',
    ],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHostileHealth();
