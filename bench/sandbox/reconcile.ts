// A server killed with kill -9 while 5 sandboxes run, then restarted on the same data directory: from the
// new process listening until none of its predecessor's containers is left (goal ≤ 10 s), beside
// `docker rm -f` of 5 running containers of the same image by the docker CLI, in the same run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  bearer,
  createUser,
  type ServerProcess,
  spawnServer,
  tempDataDir,
  waitFor,
} from '@atrium/tests/src/harness/index.js';
import { containersOf, dockerInspect, startKernel } from '@atrium/tests/src/sandbox/sandboxTesting.js';
import { median, printTable } from '../lib/stats.js';

const RUNTIMES = ['runc', 'runsc'] as const;
type RuntimeName = (typeof RUNTIMES)[number];
const RUNS = Number(process.env.BENCH_RECONCILE_RUNS ?? 3);
const SANDBOXES = 5;

async function stop(server: ServerProcess) {
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** Milliseconds from the restarted server listening to its predecessor's containers all gone. */
async function restartAfterKill(runtime: RuntimeName): Promise<{ ms: number; image: string }> {
  const dataDir = tempDataDir('atrium-bench-reconcile');
  const env = { ATRIUM_SANDBOX_RUNTIME: runtime, ATRIUM_SANDBOX_POOL_SIZE: '0' };
  const first = await spawnServer(dataDir, env);
  await waitFor(
    async () =>
      (
        (await (await fetch(`${first.url}/api/health`)).json()) as {
          checks: { sandboxImage?: { state: string } };
        }
      ).checks.sandboxImage?.state === 'present',
    { what: 'the sandbox image', timeout: 300_000, interval: 200 },
  );
  const user = await createUser(first.url);
  const kernels = [];
  for (let i = 0; i < SANDBOXES; i += 1) kernels.push(await startKernel(first.url, bearer(user.token)));
  const inspected = dockerInspect(kernels[0]?.containerId ?? '') as ReturnType<typeof dockerInspect> & {
    Config: { Image: string };
  };
  const instance = inspected.Config.Labels['atrium.instance'] ?? '';
  first.child.kill('SIGKILL');
  await first.exited;
  if (containersOf(instance).length !== SANDBOXES) throw new Error('the killed server left no containers');
  const second = await spawnServer(dataDir, env);
  const t = performance.now();
  await waitFor(() => containersOf(instance).length === 0, {
    what: 'the predecessor containers to go',
    timeout: 120_000,
    interval: 50,
  });
  const ms = performance.now() - t;
  await stop(second);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { ms, image: inspected.Config.Image };
}

/** The floor: `docker rm -f` of as many running containers of the same image, in one CLI call. */
function dockerRemove(runtime: RuntimeName, image: string): number {
  const ids = Array.from({ length: SANDBOXES }, () =>
    execFileSync(
      'docker',
      [
        'run',
        '-d',
        '--runtime',
        runtime,
        '--network',
        'none',
        image,
        'node',
        '-e',
        'setInterval(() => {}, 1000)',
      ],
      { encoding: 'utf8' },
    ).trim(),
  );
  const t = performance.now();
  execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
  return performance.now() - t;
}

export async function benchReconcile(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const runtime of RUNTIMES) {
    const atrium: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const { ms, image } = await restartAfterKill(runtime);
      atrium.push(ms);
      peer.push(dockerRemove(runtime, image));
    }
    rows.push(
      [`${runtime}: restart after kill -9 → none of ${SANDBOXES} left`, median(atrium), '≤ 10000'],
      [`${runtime}: peer \`docker rm -f\` of ${SANDBOXES} running containers`, median(peer), '—'],
      [`${runtime}: ratio`, median(atrium) / median(peer), '—'],
    );
  }
  printTable(
    `Reconciliation after kill -9 with ${SANDBOXES} sandboxes, median of ${RUNS} (ms)`,
    ['what', 'ms', 'goal'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReconcile();
