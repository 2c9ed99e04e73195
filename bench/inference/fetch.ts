// Models fetched at run time. (1) Pulling a model from an upstream Hub (here another Atrium in this
// process) into the sandbox model cache, beside a bare loop that streams the same files from the same
// upstream to disk. (2) What asking for a model at run time adds to a cell: the same cell loading a model
// the sandbox must ask the server for, then loading it again once it is under /models.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { loadConfig, startAtrium } from '@atrium/server';
import { textGenerator } from '@atrium/server/models/index';
import { createRepo, uploadFiles } from '@huggingface/hub';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';

const PADDING_MB = Number(process.env.PADDING_MB ?? 256);
const RUNS = Number(process.env.RUNS ?? 5);

const start = (dataDir: string, overrides: Record<string, unknown>) =>
  startAtrium(
    loadConfig(
      { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_DATA_DIR: dataDir },
      { seed: false, sandboxPoolSize: 0, sandboxPoolEager: false, authRateLimit: 100_000, ...overrides },
    ),
  );
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Pushes the GPT-2 bigram model (plus extra files) as `<owner>/<name>`. */
async function push(
  url: string,
  token: string,
  owner: string,
  name: string,
  extra: [string, Uint8Array][] = [],
) {
  const hub = { hubUrl: url, accessToken: token };
  const repo = { type: 'model' as const, name: `${owner}/${name}` };
  await createRepo({ ...hub, repo });
  await uploadFiles({
    ...hub,
    repo,
    files: [...textGenerator.files(), ...extra].map(([p, bytes]) => ({
      path: p,
      content: new Blob([new Uint8Array(bytes)]),
    })),
  });
}

// (1) Upstream pulls.
const upstreamDir = tmp('atrium-bench-upstream-');
const upstream = await start(upstreamDir, {});
const owner = `up-${Date.now().toString(36)}`;
const upToken = await signUp(upstream.url, owner);
await push(upstream.url, upToken, owner, 'big-alice', [
  ['extra/weights.bin', new Uint8Array(PADDING_MB << 20)],
]);
const modelId = `${owner}/big-alice`;

const downstreamDir = tmp('atrium-bench-downstream-');
const downstream = await start(downstreamDir, { upstreamHub: upstream.url, executionTimeoutS: 300 });
const cache = downstream.services.modelCache;

const info = (await (await fetch(`${upstream.url}/api/models/${modelId}`)).json()) as {
  sha: string;
  siblings: { rfilename: string; size: number }[];
};
const totalMb = info.siblings.reduce((sum, f) => sum + f.size, 0) / 2 ** 20;

/** Peer: every file from /resolve/ streamed to disk, one after the other, as a bare client would. */
async function bareDownload(dir: string): Promise<void> {
  for (const { rfilename } of info.siblings) {
    const res = await fetch(`${upstream.url}/${modelId}/resolve/${info.sha}/${rfilename}`);
    const target = path.join(dir, rfilename);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await streamPipeline(Readable.fromWeb(res.body as never), fs.createWriteStream(target));
  }
}

const pulled: number[] = [];
const bare: number[] = [];
for (let i = 0; i < RUNS; i++) {
  // Forget the cached copy so each run pulls again.
  fs.rmSync(path.join(cache.root, owner), { recursive: true, force: true });
  fs.rmSync(path.join(cache.root, '.commits', `upstream-${info.sha}`), { recursive: true, force: true });
  let t = performance.now();
  await cache.ensure(modelId);
  pulled.push(totalMb / ((performance.now() - t) / 1000));
  const dir = tmp('atrium-bench-bare-');
  t = performance.now();
  await bareDownload(dir);
  bare.push(totalMb / ((performance.now() - t) / 1000));
  fs.rmSync(dir, { recursive: true, force: true });
}
printTable(
  `Pulling a ${Math.round(totalMb)} MB model from an upstream Atrium into the sandbox model cache, median of ${RUNS} (MB/s)`,
  ['path', 'median MB/s', 'ratio'],
  [
    ['ModelCache.ensure (upstream mirror, with progress)', median(pulled), median(pulled) / median(bare)],
    ['peer: fetch each /resolve/ file, stream to disk', median(bare), 1],
  ],
);

// (2) A model asked for at run time, in a real sandbox.
await downstream.services.runtime.whenReady();
if (downstream.services.runtime.image.state !== 'present')
  throw new Error('sandbox image missing: run npm run image -w sandbox');
const user = `dn-${Date.now().toString(36)}`;
const token = await signUp(downstream.url, user);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const kernel = (await (
  await fetch(`${downstream.url}/api/kernels`, { method: 'POST', headers, body: '{}' })
).json()) as {
  id: string;
};
/** Runs a cell to its end; resolves with the wall time at this client and whether a fetch was shown. */
async function cell(code: string): Promise<{ ms: number; fetched: boolean }> {
  const started = performance.now();
  const res = await fetch(`${downstream.url}/api/kernels/${kernel.id}/execute`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ code }),
  });
  const text = await res.text();
  if (text.includes('event: error')) throw new Error(text.slice(text.indexOf('event: error'), 2000));
  return { ms: performance.now() - started, fetched: text.includes('event: display_data') };
}
await cell(`globalThis.t = await import('@huggingface/transformers');`);
const asked: number[] = [];
const cached: number[] = [];
for (let i = 0; i < RUNS; i++) {
  await push(downstream.url, token, user, `alice-${i}`);
  const load = `const p = await t.pipeline('text-generation', [${JSON.stringify(user)}, 'alice-${i}'].join('/')); await p.dispose();`;
  const first = await cell(load);
  if (!first.fetched) throw new Error('the first load did not fetch');
  asked.push(first.ms);
  cached.push((await cell(load)).ms);
}
printTable(
  `A cell loading a pipeline whose model the sandbox must ask for, vs the same cell once it is cached (runc, median of ${RUNS}, ms)`,
  ['cell', 'median', 'max'],
  [
    ['load, model asked of the server at run time', median(asked), Math.max(...asked)],
    ['peer: load, model already under /models', median(cached), Math.max(...cached)],
    ['added by the run-time fetch', median(asked) - median(cached), ''],
  ],
);

await downstream.close();
await upstream.close();
for (const dir of [upstreamDir, downstreamDir]) fs.rmSync(dir, { recursive: true, force: true });
