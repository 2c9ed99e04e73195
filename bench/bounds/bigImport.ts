// A 49 MB notebook import against the server in its own process: the server's longest stall seen
// from outside (GET /api/health every 10 ms), its p50/p99, and its peak RSS (VmHWM), beside the same
// server idle for as long, and beside a plain JSON.parse of the same bytes in a process of its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUser, tempDataDir } from '@atrium/tests/src/harness/index.js';
import { bigNotebook } from '@atrium/tests/src/notebook/notebookClient.js';
import { median, percentile } from '../lib/stats.js';

export interface Row {
  what: string;
  windowMs: number;
  /** The server's own event-loop delay over the window (monitorEventLoopDelay, preloaded). */
  loop: { max: number; p99: number };
  /** Wall time of each GET /api/health. */
  probes: number[];
  /** CPU time the server's main thread spent while each probe waited (ms, 10 ms ticks). */
  mainCpu: number[];
  peakRssMb: number;
  note: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * CPU time of a process's main thread so far (utime + stime of /proc/<pid>/task/<pid>/stat), in ms.
 * On a machine shared with other work a stall is partly waiting for a core; this is the part the
 * server's own code spent, which is what an idle machine would see as the stall.
 */
function mainThreadCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One GET /api/health: its wall time, and the CPU the server's main thread spent meanwhile. */
function probe(url: string, pid: number): Promise<[number, number]> {
  const started = performance.now();
  const cpu = mainThreadCpuMs(pid);
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve([performance.now() - started, mainThreadCpuMs(pid) - cpu]));
      })
      .on('error', reject);
  });
}

/** Probes every 10 ms (one at a time) until `done` settles. */
async function probeWhile(url: string, pid: number, done: Promise<unknown>) {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const probes: number[] = [];
  const mainCpu: number[] = [];
  while (!finished) {
    const [wall, cpu] = await probe(url, pid);
    probes.push(wall);
    mainCpu.push(cpu);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { probes, mainCpu };
}

/** Peak resident memory of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

interface BenchServer {
  url: string;
  pid: number;
  /** The event-loop delay since the last call, as the server measured it. */
  loopDelay: () => Promise<{ max: number; p99: number }>;
  stop: () => Promise<void>;
}

const serverMain = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@atrium/server/package.json')),
  'dist/main.js',
);
const preload = fileURLToPath(new URL('./loopDelay.mjs', import.meta.url));

/** The real server in its own process, with the loop-delay monitor preloaded; resolves once start-up is over. */
async function freshServer(): Promise<BenchServer> {
  const dataDir = tempDataDir('atrium-bench-bounds');
  const child = spawn(process.execPath, ['--import', preload, serverMain], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_DATA_DIR: dataDir,
      ATRIUM_SEED: '0',
      ATRIUM_COLLAB_DOC_MAX_MB: '64',
      ATRIUM_SANDBOX_POOL_SIZE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const reports: ((v: { max: number; p99: number }) => void)[] = [];
  let errText = '';
  child.stderr.on('data', (c: Buffer) => {
    errText += c.toString();
    for (let nl = errText.indexOf('\n'); nl !== -1; nl = errText.indexOf('\n')) {
      const line = errText.slice(0, nl);
      errText = errText.slice(nl + 1);
      if (line.startsWith('LOOP_DELAY ')) reports.shift()?.(JSON.parse(line.slice(11)));
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout.resume();
  // Wait out start-up (the sandbox image check has synchronous steps of its own).
  for (;;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as {
      checks: { sandboxImage?: { state: string } };
    };
    if (!['checking', 'building'].includes(health.checks.sandboxImage?.state ?? '')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid as number,
    loopDelay: () =>
      new Promise((resolve) => {
        reports.push(resolve);
        child.kill('SIGUSR2');
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function post(url: string, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/notebooks/new`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': body.length,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** JSON.parse of the file in a process of its own: the least an import on the event loop costs. */
async function plainParse(file: string): Promise<{ ms: number; cpuMs: number; peakRssMb: number }> {
  const script = `const fs=require('fs');const t=fs.readFileSync(${JSON.stringify(file)},'utf8');const c=process.cpuUsage();const s=performance.now();JSON.parse(t);const ms=performance.now()-s;const u=process.cpuUsage(c);const hwm=/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status','utf8'))[1];console.log(JSON.stringify({ms,cpuMs:(u.user+u.system)/1000,peakRssMb:hwm/1024}))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out) as { ms: number; cpuMs: number; peakRssMb: number };
}

export async function measureBigImport(targetBytes = 49_000_000): Promise<Row[]> {
  const nb = bigNotebook(targetBytes);
  const body = Buffer.from(JSON.stringify({ name: 'big', notebook: nb }));
  const file = path.join(os.tmpdir(), `atrium-bench-notebook-${process.pid}.json`);
  fs.writeFileSync(file, body);
  const mb = (body.length / 1e6).toFixed(1);
  try {
    const server = await freshServer();
    let importRow: Row;
    let idleRow: Row;
    try {
      const user = await createUser(server.url);
      const { pid } = server;
      await server.loopDelay();
      const started = performance.now();
      const importing = post(server.url, user.token, body);
      const during = await probeWhile(server.url, pid, importing);
      const windowMs = performance.now() - started;
      const status = await importing;
      const loopDuring = await server.loopDelay();
      importRow = {
        loop: loopDuring,
        what: `importing a ${mb} MB notebook (${nb.cells.length} cells) through POST /api/notebooks/new`,
        windowMs,
        ...during,
        peakRssMb: peakRssMb(pid),
        note: `HTTP ${status}`,
      };
      const idle = new Promise((r) => setTimeout(r, windowMs));
      const idleProbes = await probeWhile(server.url, pid, idle);
      idleRow = {
        what: 'the same server idle, as long (after the import)',
        windowMs,
        loop: await server.loopDelay(),
        ...idleProbes,
        peakRssMb: peakRssMb(pid),
        note: 'peak RSS: the process so far',
      };
    } finally {
      await server.stop();
    }
    const parse = await plainParse(file);
    return [
      idleRow,
      importRow,
      {
        what: `peer: JSON.parse of the same ${mb} MB on one event loop (own process)`,
        windowMs: parse.ms,
        loop: { max: parse.ms, p99: parse.ms },
        probes: [parse.ms],
        mainCpu: [parse.cpuMs],
        peakRssMb: parse.peakRssMb,
        note: 'the stall is the parse itself',
      },
    ];
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export const rowCells = (r: Row) => [
  r.what,
  r.loop.max.toFixed(0),
  r.loop.p99.toFixed(0),
  Math.max(...r.probes).toFixed(0),
  Math.max(...r.mainCpu).toFixed(0),
  median(r.probes).toFixed(1),
  percentile(r.probes, 99).toFixed(1),
  r.probes.length,
  r.peakRssMb.toFixed(0),
  (r.windowMs / 1000).toFixed(1),
  r.note,
];
