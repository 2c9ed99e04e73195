// Python kernels: cold start (create → first execute_reply), a start from the warm pool, the warm `1+1`
// round trip and a warm sandbox's idle memory, for runc and runsc, beside `docker run --rm <image>
// python -c pass` in the same run; and the Python image's size and build time (only when it had to build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Atrium, loadConfig, startAtrium } from '@atrium/server';
import { containerMemoryBytes } from '../lib/containerMemory.js';
import { median, percentile, printTable } from '../lib/stats.js';

const RUNTIMES = ['runc', 'runsc'] as const;
type RuntimeName = (typeof RUNTIMES)[number];
const N = Number(process.env.BENCH_PYTHON_N ?? 5);
const ROUND_TRIPS = 100;
const ms = (start: number) => performance.now() - start;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function startServer(runtime: RuntimeName, pool: number): Promise<Atrium & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-python-'));
  const config = loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_SEED: '0' },
    {
      dataDir,
      sandboxRuntime: runtime,
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
      pythonPoolSize: pool,
      pythonPoolEager: pool > 0,
    },
  );
  const atrium = await startAtrium(config);
  await atrium.services.runtime.whenReady();
  await atrium.services.runtime.ensurePythonImage();
  if (atrium.services.runtime.pythonImage.state !== 'present')
    throw new Error(`Python image: ${JSON.stringify(atrium.services.runtime.pythonImage)}`);
  return { ...atrium, dataDir };
}

async function stop(a: Atrium & { dataDir: string }) {
  await a.close();
  fs.rmSync(a.dataDir, { recursive: true, force: true });
}

function dockerRunPass(runtime: RuntimeName, image: string): number {
  const t = performance.now();
  const r = spawnSync(
    'docker',
    ['run', '--rm', '--runtime', runtime, '--network', 'none', image, '/usr/bin/python3.11', '-c', 'pass'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`docker run ended with ${r.status}`);
  return ms(t);
}

async function measure(runtime: RuntimeName) {
  const a = await startServer(runtime, 0);
  const kernels = a.services.runtime.kernels;
  const image = a.services.runtime.pythonImage.tag as string;
  dockerRunPass(runtime, image); // page the image in once for both
  const floor: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < N; i += 1) {
    await sleep(300);
    floor.push(dockerRunPass(runtime, image));
    await sleep(300);
    const t = performance.now();
    const k = await kernels.start('bench', { language: 'python' });
    await kernels.execute(k.id, { code: '1+1' });
    cold.push(ms(t));
    await kernels.shutdown(k.id);
  }
  const k = await kernels.start('bench', { language: 'python' });
  for (let i = 0; i < 10; i += 1) await kernels.execute(k.id, { code: '1+1' });
  const rts: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i += 1) {
    const t = performance.now();
    await kernels.execute(k.id, { code: '1+1' });
    rts.push(ms(t));
  }
  await sleep(3000);
  const idleMiB = ((await containerMemoryBytes(k.containerId)) ?? Number.NaN) / 1048576;
  await stop(a);

  // From the warm pool: a sandbox started and idle before the request.
  const warm = await startServer(runtime, 1);
  const pooled: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const pool = warm.services.runtime.kernels;
    while (pool.stats().pythonPooled < 1) await sleep(100);
    const t = performance.now();
    const pk = await pool.start('bench', { language: 'python' });
    await pool.execute(pk.id, { code: '1+1' });
    pooled.push(ms(t));
    await pool.shutdown(pk.id);
  }
  await stop(warm);
  return { floor, cold, pooled, rts, idleMiB };
}

const rows: (string | number)[][] = [];
for (const runtime of RUNTIMES) {
  const f = await measure(runtime);
  rows.push([
    runtime,
    median(f.floor),
    median(f.cold),
    percentile(f.cold, 95),
    median(f.cold) / median(f.floor),
    median(f.pooled),
    median(f.rts),
    percentile(f.rts, 95),
    f.idleMiB,
  ]);
}
printTable(
  `Python kernels (N=${N} starts, ${ROUND_TRIPS} round trips; ms, MiB)`,
  [
    'runtime',
    '`docker run --rm <image> python -c pass` p50',
    'cold start → first execute_reply p50',
    'cold p95',
    'cold / docker run',
    'from warm pool p50',
    'warm `1+1` p50',
    'warm `1+1` p95',
    'idle memory of a warm sandbox (MiB)',
  ],
  rows,
);
