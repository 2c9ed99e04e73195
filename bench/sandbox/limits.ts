// A memory hog in a sandbox: how long until the cell reports KernelDied "killed: out of memory"
// (goal ≤ 2 s), beside the same hog under `docker run -m 512m` until Docker reports the OOM kill.
import { median, percentile, printTable } from '../lib/stats.js';
import { dockerRun, startServer, stop } from './kernels.js';

const RUNTIMES = ['runc', 'runsc'] as const;
const N = Number(process.env.BENCH_LIMITS_N ?? 5);
const HOG = 'const hog = []; while (true) hog.push(Buffer.alloc(32 * 1024 * 1024, 1));';

async function measure(runtime: (typeof RUNTIMES)[number]) {
  const server = await startServer(runtime, 0);
  const kernels = server.services.runtime.kernels;
  const image = server.services.runtime.image.tag as string;
  const reported: number[] = [];
  const peer: number[] = [];
  try {
    for (let i = 0; i < N; i += 1) {
      const k = await kernels.start('bench');
      const t = performance.now();
      const reply = await kernels.execute(k.id, { code: HOG });
      if (reply.evalue !== 'killed: out of memory')
        throw new Error(`the hog ended with ${JSON.stringify(reply)}`);
      reported.push(performance.now() - t);
      await kernels.shutdown(k.id);
      // The peer: the same image, memory and runtime, started by the docker CLI, until Docker's OOM kill.
      peer.push(
        dockerRun(runtime, image, HOG, { options: ['-m', '512m', '--memory-swap', '512m'], status: 137 }),
      );
    }
  } finally {
    await stop(server);
  }
  return { reported, peer };
}

export async function benchLimits(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const runtime of RUNTIMES) {
    const { reported, peer } = await measure(runtime);
    rows.push([
      `${runtime}: cell → KernelDied "killed: out of memory"`,
      median(reported),
      percentile(reported, 95),
      '≤ 2000',
    ]);
    rows.push([
      `${runtime}: peer, \`docker run -m 512m\` → exit 137 (includes the container's start)`,
      median(peer),
      percentile(peer, 95),
      '—',
    ]);
  }
  printTable(
    `A memory hog (32 MiB buffers in a loop) in a 512 MiB sandbox, ${N} runs each (ms)`,
    ['measure', 'p50', 'p95', 'goal p50'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLimits();
