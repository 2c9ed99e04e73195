// Loading the five seed pipelines cold (empty transformers.js cache) from Atrium's /resolve/ endpoints,
// beside a bare node:http + fs.createReadStream server that streams the same generated files under the
// same URLs. Both run in this process and are measured alternately; transformers.js is the client.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startAtrium } from '@atrium/server';
import { seedModels, writeModels } from '@atrium/server/models/index';
import { env } from '@huggingface/transformers';
import { median, printTable } from '../lib/stats.js';
import { loadPipeline, workloads } from './workloads.js';

const RUNS = Number(process.env.RUNS ?? 11);

const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-files-'));
await writeModels(filesRoot);
const bare = http.createServer((req, res) => {
  // /<owner>/<name>/resolve/<rev>/<path> → <root>/<owner>/<name>/<path>
  const match = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(decodeURI(req.url ?? ''));
  const file = match && path.join(filesRoot, match[1]!, match[2]!, match[3]!);
  if (!file?.startsWith(filesRoot) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'content-length': fs.statSync(file).size,
    'content-type': 'application/octet-stream',
  });
  fs.createReadStream(file).pipe(res);
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-inference-'));
const seedStarted = performance.now();
const atrium = await startAtrium(
  loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_DATA_DIR: dataDir },
    { seed: true },
  ),
);
const firstStartMs = performance.now() - seedStarted;
// Peers in the same run: the same start with nothing to seed, and the generator alone (warm, as
// server/src/models/seedModels.test.ts times it).
const unseededDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-unseeded-'));
const unseededStarted = performance.now();
const unseeded = await startAtrium(
  loadConfig(
    {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_LOG_LEVEL: 'silent',
      ATRIUM_DATA_DIR: unseededDir,
    },
    { seed: false },
  ),
);
const unseededStartMs = performance.now() - unseededStarted;
await unseeded.close();
fs.rmSync(unseededDir, { recursive: true, force: true });
const generateStarted = performance.now();
for (const model of seedModels) model.files();
const generateMs = performance.now() - generateStarted;

/** Milliseconds to load all five pipelines from `host` with an empty cache, and the bytes fetched. */
async function coldLoad(host: string): Promise<{ ms: number; bytes: number }> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-tjs-'));
  env.remoteHost = `${host}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.cacheDir = cacheDir;
  env.useFSCache = true;
  let bytes = 0;
  const started = performance.now();
  for (const workload of workloads) {
    const pipe = await loadPipeline(workload.task, workload.model);
    await pipe.dispose();
  }
  const ms = performance.now() - started;
  for (const entry of fs.readdirSync(cacheDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  fs.rmSync(cacheDir, { recursive: true, force: true });
  return { ms, bytes };
}

await coldLoad(atrium.url); // warm the servers' own code paths once
await coldLoad(bareUrl);
const atriumMs: number[] = [];
const bareMs: number[] = [];
let bytes = 0;
for (let i = 0; i < RUNS; i++) {
  const a = await coldLoad(atrium.url);
  const b = await coldLoad(bareUrl);
  atriumMs.push(a.ms);
  bareMs.push(b.ms);
  bytes = a.bytes;
}
printTable(
  `Cold load of the five seed pipelines through transformers.js, median of ${RUNS} (ms)`,
  [
    'what',
    'Atrium /resolve/',
    'peer: bare fs.createReadStream server',
    'throughput ratio (peer ms / Atrium ms)',
  ],
  [
    [
      `5 models, ${(bytes / 1024).toFixed(0)} KiB fetched`,
      median(atriumMs),
      median(bareMs),
      median(bareMs) / median(atriumMs),
    ],
  ],
);
printTable(
  'First start with seeding (ms)',
  ['what', 'ms', 'goal'],
  [
    ['startAtrium on an empty data dir, models generated and committed', firstStartMs, '≤ 1000'],
    ['peer: startAtrium on an empty data dir, nothing to seed', unseededStartMs, '—'],
    ['the five models generated in memory (warm)', generateMs, '≤ 200'],
  ],
);
await atrium.close();
bare.close();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(filesRoot, { recursive: true, force: true });
