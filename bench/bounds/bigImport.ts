// A 49 MB notebook import against the server in its own process: the server's longest stall seen
// from outside (GET /api/health every 10 ms), its p50/p99, and its peak RSS (VmHWM), beside the same
// server idle for as long, and beside a plain JSON.parse of the same bytes in a process of its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createUser, type ServerProcess, spawnServer, tempDataDir } from '@atrium/tests/src/harness/index.js';
import { bigNotebook } from '@atrium/tests/src/notebook/notebookClient.js';
import { median, percentile } from '../lib/stats.js';

export interface Row {
  what: string;
  windowMs: number;
  probes: number[];
  peakRssMb: number;
  note: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET /api/health, timed. */
function probe(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      })
      .on('error', reject);
  });
}

/** Probes every 10 ms (one at a time) until `done` settles; returns the latencies. */
async function probeWhile(url: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const out: number[] = [];
  while (!finished) {
    out.push(await probe(url));
    await new Promise((r) => setTimeout(r, 10));
  }
  return out;
}

/** Peak resident memory of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function freshServer(): Promise<ServerProcess> {
  const server = await spawnServer(tempDataDir('atrium-bench-bounds'), {
    ATRIUM_SEED: '0',
    ATRIUM_COLLAB_DOC_MAX_MB: '64',
    ATRIUM_SANDBOX_POOL_SIZE: '0',
  });
  // Wait out start-up (the sandbox image check has synchronous steps of its own).
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      checks: { sandboxImage?: { state: string } };
    };
    if (!['checking', 'building'].includes(health.checks.sandboxImage?.state ?? '')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM');
  await server.exited;
  fs.rmSync(server.dataDir, { recursive: true, force: true });
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
async function plainParse(file: string): Promise<{ ms: number; peakRssMb: number }> {
  const script = `const fs=require('fs');const t=fs.readFileSync(${JSON.stringify(file)},'utf8');const s=performance.now();JSON.parse(t);const ms=performance.now()-s;const hwm=/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status','utf8'))[1];console.log(JSON.stringify({ms,peakRssMb:hwm/1024}))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out) as { ms: number; peakRssMb: number };
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
      const pid = server.child.pid as number;
      const started = performance.now();
      const importing = post(server.url, user.token, body);
      const probes = await probeWhile(server.url, importing);
      const windowMs = performance.now() - started;
      const status = await importing;
      importRow = {
        what: `importing a ${mb} MB notebook (${nb.cells.length} cells) through POST /api/notebooks/new`,
        windowMs,
        probes,
        peakRssMb: peakRssMb(pid),
        note: `HTTP ${status}`,
      };
      const idle = new Promise((r) => setTimeout(r, windowMs));
      idleRow = {
        what: 'the same server idle, as long (after the import)',
        windowMs,
        probes: await probeWhile(server.url, idle),
        peakRssMb: peakRssMb(pid),
        note: 'peak RSS: the process so far',
      };
    } finally {
      await stop(server);
    }
    const parse = await plainParse(file);
    return [
      idleRow,
      importRow,
      {
        what: `peer: JSON.parse of the same ${mb} MB on one event loop (own process)`,
        windowMs: parse.ms,
        probes: [parse.ms],
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
  Math.max(...r.probes).toFixed(0),
  median(r.probes).toFixed(1),
  percentile(r.probes, 99).toFixed(1),
  r.probes.length,
  r.peakRssMb.toFixed(0),
  (r.windowMs / 1000).toFixed(1),
  r.note,
];
