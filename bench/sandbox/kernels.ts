// Sandboxes: cold start, warm pool, 1+1 round trip, interrupting a busy loop, stream throughput and idle
// memory, for runc and runsc, beside `docker run --rm <image> node -e 0` (and plain node in the same image)
// measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Atrium, loadConfig, startAtrium } from '@atrium/server';
import { signUp } from '../lib/accounts.js';
import { containerMemoryBytes } from '../lib/containerMemory.js';
import { median, percentile, printTable } from '../lib/stats.js';

const RUNTIMES = ['runc', 'runsc'] as const;
type RuntimeName = (typeof RUNTIMES)[number];
const N = Number(process.env.BENCH_SANDBOX_N ?? 10);
const ROUND_TRIPS = 200;
const INTERRUPTS = 20;
const STREAM_BYTES = 10 * 1000 * 1000;
const STREAM_CELL = `for (let i = 0; i < ${STREAM_BYTES / 100}; i++) process.stdout.write(String(i).padStart(8, '0') + 'x'.repeat(91) + '\\n');`;
const ms = (start: number) => performance.now() - start;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export async function startServer(
  runtime: RuntimeName,
  poolSize: number,
): Promise<Atrium & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-sandbox-'));
  const config = loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_SEED: '0' },
    {
      dataDir,
      sandboxRuntime: runtime,
      sandboxPoolSize: poolSize,
      sandboxPoolEager: poolSize > 0,
      authRateLimit: 10_000,
    },
  );
  const atrium = await startAtrium(config);
  await atrium.services.runtime.whenReady();
  if (atrium.services.runtime.image.state !== 'present')
    throw new Error(`image: ${JSON.stringify(atrium.services.runtime.image)}`);
  return { ...atrium, dataDir };
}

export async function stop(a: Atrium & { dataDir: string }) {
  await a.close();
  fs.rmSync(a.dataDir, { recursive: true, force: true });
}

/** The floor: the same image started by the docker CLI running `code` (extra `docker run` options, the exit status it must end with). */
export function dockerRun(
  runtime: RuntimeName,
  image: string,
  code: string,
  { options = [] as string[], status = 0 } = {},
): number {
  const t = performance.now();
  const r = spawnSync(
    'docker',
    ['run', '--rm', '--runtime', runtime, '--network', 'none', ...options, image, 'node', '-e', code],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status !== status) throw new Error(`docker run ended with ${r.status}, not ${status}`);
  return ms(t);
}

/** Idle memory of a plain `node` in the same image, as docker stats reports it. */
async function peerIdleMemory(runtime: RuntimeName, image: string): Promise<number> {
  const id = execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--rm',
      '--runtime',
      runtime,
      '--network',
      'none',
      '-m',
      '512m',
      image,
      'node',
      '-e',
      'setInterval(() => {}, 1000)',
    ],
    { encoding: 'utf8' },
  ).trim();
  await sleep(3000);
  const bytes = (await containerMemoryBytes(id)) ?? Number.NaN;
  execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
  return bytes / 1048576;
}

interface Figures {
  floorP50: number;
  floorP95: number;
  coldP50: number;
  coldP95: number;
  poolP50: number;
  poolP95: number;
  rtP50: number;
  rtP95: number;
  interruptP50: number;
  interruptP95: number;
  httpRtP50: number;
  streamMBs: number;
  peerStreamMBs: number;
  idleMiB: number;
  peerIdleMiB: number;
}

async function measure(runtime: RuntimeName): Promise<Figures> {
  const cold = await startServer(runtime, 0);
  const kernels = cold.services.runtime.kernels;
  const image = cold.services.runtime.image.tag as string;
  dockerRun(runtime, image, '0'); // page the image in once for both

  const floor: number[] = [];
  const coldStarts: number[] = [];
  for (let i = 0; i < N; i += 1) {
    // Let dockerd finish tearing down the previous container before each timed start, for both.
    await sleep(300);
    floor.push(dockerRun(runtime, image, '0'));
    await sleep(300);
    const t = performance.now();
    const k = await kernels.start('bench');
    await kernels.execute(k.id, { code: '1+1' });
    coldStarts.push(ms(t));
    await kernels.shutdown(k.id);
  }

  // Warm round trips on one kernel: server → runner → kernel process → server.
  const k = await kernels.start('bench');
  for (let i = 0; i < 20; i += 1) await kernels.execute(k.id, { code: '1+1' });
  const rts: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i += 1) {
    const t = performance.now();
    await kernels.execute(k.id, { code: '1+1' });
    rts.push(ms(t));
  }
  // Interrupt: a synchronous busy loop stopped, from the interrupt request to its execute_reply. The
  // loop shows something first, so the clock starts only once it surely runs.
  const interrupts: number[] = [];
  for (let i = 0; i < INTERRUPTS; i += 1) {
    let looping: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      looping = resolve;
    });
    const run = kernels.execute(k.id, { code: "display('looping'); while (true) {}" }, (m) => {
      if (m.header.msg_type === 'display_data') looping();
    });
    await running;
    const t = performance.now();
    await kernels.interrupt(k.id);
    const reply = await run;
    interrupts.push(ms(t));
    if (reply.ename !== 'KeyboardInterrupt') throw new Error(`interrupt ended as ${JSON.stringify(reply)}`);
  }

  // The same through the public API: HTTP POST answered by an SSE stream.
  const token = await signUp(cold.url, `bench-${Date.now().toString(36)}`);
  const httpKernel = (await (
    await fetch(`${cold.url}/api/kernels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { id: string };
  const httpRts: number[] = [];
  for (let i = 0; i < 100; i += 1) {
    const t = performance.now();
    const res = await fetch(`${cold.url}/api/kernels/${httpKernel.id}/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"code":"1+1"}',
    });
    await res.text();
    if (i >= 10) httpRts.push(ms(t));
  }

  // Stream throughput: 10 MB of stdout lines, kernel to server.
  const streamTimes: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    let bytes = 0;
    const t = performance.now();
    await kernels.execute(k.id, { code: STREAM_CELL }, (m) => {
      if (m.header.msg_type === 'stream') bytes += (m.content as { text: string }).text.length;
    });
    if (bytes !== STREAM_BYTES) throw new Error(`stream lost bytes: ${bytes}`);
    streamTimes.push(ms(t));
  }
  const floorMedian = median(floor);
  const peerStream: number[] = [];
  for (let i = 0; i < 3; i += 1) peerStream.push(dockerRun(runtime, image, STREAM_CELL) - floorMedian);

  // Idle memory: four kernels left alone for 3 s.
  const idle = [k];
  for (let i = 0; i < 3; i += 1) idle.push(await kernels.start('bench'));
  await sleep(3000);
  const mem: number[] = [];
  for (const kernel of idle)
    mem.push(((await containerMemoryBytes(kernel.containerId)) ?? Number.NaN) / 1048576);
  const peerIdleMiB = await peerIdleMemory(runtime, image);
  await stop(cold);

  // Warm pool: a started sandbox is waiting; time from start() to the first execute_reply.
  const pooled = await startServer(runtime, 1);
  const pk = pooled.services.runtime.kernels;
  const poolStarts: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const deadline = Date.now() + 30_000;
    while (pk.stats().pooled < 1 && Date.now() < deadline) await sleep(20);
    await sleep(200); // let the refill's start-up settle
    const t = performance.now();
    const kernel = await pk.start('bench');
    await pk.execute(kernel.id, { code: '1+1' });
    poolStarts.push(ms(t));
    await pk.shutdown(kernel.id);
  }
  await stop(pooled);

  const mbs = (t: number) => STREAM_BYTES / 1e6 / (t / 1000);
  return {
    floorP50: floorMedian,
    floorP95: percentile(floor, 95),
    coldP50: median(coldStarts),
    coldP95: percentile(coldStarts, 95),
    poolP50: median(poolStarts),
    poolP95: percentile(poolStarts, 95),
    rtP50: median(rts),
    rtP95: percentile(rts, 95),
    interruptP50: median(interrupts),
    interruptP95: percentile(interrupts, 95),
    httpRtP50: median(httpRts),
    streamMBs: mbs(median(streamTimes)),
    peerStreamMBs: mbs(median(peerStream)),
    idleMiB: median(mem),
    peerIdleMiB,
  };
}

export async function benchSandboxes(): Promise<void> {
  const results = new Map<RuntimeName, Figures>();
  for (const runtime of RUNTIMES) results.set(runtime, await measure(runtime));
  const r = (f: (x: Figures) => number) => RUNTIMES.map((rt) => f(results.get(rt) as Figures));
  const runc = results.get('runc') as Figures;
  printTable(
    `Sandboxes: ${N} starts each, ${ROUND_TRIPS} round trips, ${INTERRUPTS} interrupts, 10 MB streamed 3×, 4 idle kernels (ms unless stated)`,
    ['measure', 'runc', 'runsc', 'goal (runc)'],
    [
      ['peer: `docker run --rm <image> node -e 0` p50', ...r((x) => x.floorP50), '—'],
      ['peer: `docker run --rm <image> node -e 0` p95', ...r((x) => x.floorP95), '—'],
      ['cold start, create → first execute_reply p50', ...r((x) => x.coldP50), '≤ 400'],
      ['cold start, create → first execute_reply p95', ...r((x) => x.coldP95), '—'],
      ['cold start p50 / docker run p50', ...r((x) => x.coldP50 / x.floorP50), '—'],
      ['from the warm pool → first execute_reply p50', ...r((x) => x.poolP50), '≤ 100'],
      ['from the warm pool p95', ...r((x) => x.poolP95), '—'],
      ['warm `1+1` round trip, server → kernel → server p50', ...r((x) => x.rtP50), '≤ 20'],
      ['warm `1+1` round trip p95', ...r((x) => x.rtP95), '—'],
      ['interrupt a busy loop → its execute_reply p50', ...r((x) => x.interruptP50), '≤ 100'],
      ['interrupt a busy loop p95', ...r((x) => x.interruptP95), '—'],
      ['warm `1+1` over HTTP POST + SSE p50', ...r((x) => x.httpRtP50), '—'],
      ['stream throughput, kernel → server (MB/s)', ...r((x) => x.streamMBs), '—'],
      ['peer: same 10 MB from `docker run` to the CLI (MB/s)', ...r((x) => x.peerStreamMBs), '—'],
      ['idle memory per sandbox (MiB)', ...r((x) => x.idleMiB), '≤ 64'],
      ['peer: idle plain `node` in the same image (MiB)', ...r((x) => x.peerIdleMiB), '—'],
    ],
  );
  console.log(
    `\nrunc cold start is ${(runc.coldP50 / runc.floorP50).toFixed(2)}× the docker run floor; the pool answers in ${runc.poolP50.toFixed(1)} ms.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSandboxes();
