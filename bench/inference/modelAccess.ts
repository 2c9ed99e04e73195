// Models in sandboxes follow the hub (issue 12 part 7). (1) Access taken away → the model gone from a
// running sandbox, seen by a cell polling /models, beside the same settings request for a model no
// sandbox holds. (2) What a per-sandbox model view (a Docker volume, created and removed with the
// sandbox) adds to starting and shutting down a kernel, beside a kernel manager without views.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startAtrium } from '@atrium/server';
import { textGenerator } from '@atrium/server/models/index';
import { KernelManager } from '@atrium/server/runtime/KernelManager';
import { createRepo, uploadFiles } from '@huggingface/hub';
import { signUp } from '../lib/accounts.js';
import { median, percentile, printTable } from '../lib/stats.js';

const TRIALS = Number(process.env.TRIALS ?? 20);
const STARTS = Number(process.env.STARTS ?? 8);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-access-'));
const server = await startAtrium(
  loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_DATA_DIR: dataDir },
    {
      seed: false,
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
      authRateLimit: 100_000,
      executionTimeoutS: 120,
    },
  ),
);
await server.services.runtime.whenReady();
const image = server.services.runtime.image.tag;
if (!image) throw new Error('sandbox image missing: run npm run image -w sandbox');

const owner = `own-${Date.now().toString(36)}`;
const reader = `rdr-${Date.now().toString(36)}`;
const ownerToken = await signUp(server.url, owner);
const readerToken = await signUp(server.url, reader);
const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function push(name: string): Promise<string> {
  const hub = { hubUrl: server.url, accessToken: ownerToken };
  const repo = { type: 'model' as const, name: `${owner}/${name}` };
  await createRepo({ ...hub, repo });
  await uploadFiles({
    ...hub,
    repo,
    files: [...textGenerator.files()].map(([p, bytes]) => ({
      path: p,
      content: new Blob([new Uint8Array(bytes)]),
    })),
  });
  return repo.name;
}
const setPrivate = async (id: string, value: boolean) => {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/models/${id}/settings`, {
    method: 'PUT',
    headers: json(ownerToken),
    body: JSON.stringify({ private: value }),
  });
  if (res.status !== 200) throw new Error(`settings: ${res.status}`);
  return performance.now() - started;
};

const kernel = (await (
  await fetch(`${server.url}/api/kernels`, { method: 'POST', headers: json(readerToken), body: '{}' })
).json()) as { id: string };
/** Starts a cell; `untilText` resolves when its output first contains the text, `done` with all of it. */
function cell(code: string, untilText?: string) {
  let seen: () => void = () => {};
  const shown = new Promise<void>((resolve) => (seen = resolve));
  const done = (async () => {
    const res = await fetch(`${server.url}/api/kernels/${kernel.id}/execute`, {
      method: 'POST',
      headers: json(readerToken),
      body: JSON.stringify({ code }),
    });
    const body = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await body.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (untilText && text.includes(untilText)) seen();
    }
    if (text.includes('event: error')) throw new Error(text.slice(text.indexOf('event: error'), 2000));
    return text;
  })();
  return { shown, done };
}

// (1) Revocation → gone, seen from inside the sandbox.
const modelId = await push('revoked');
const quiet = await push('held-by-nobody');
const gone: number[] = [];
const withHolder: number[] = [];
const peer: number[] = [];
await cell(`globalThis.t = await import('@huggingface/transformers');`).done;
for (let i = 0; i < TRIALS; i++) {
  await cell(`await t.AutoTokenizer.from_pretrained(${JSON.stringify(modelId)});`).done;
  // The cell polls as fast as it can and prints the wall clock (the host's) the moment the files go.
  const poll = cell(
    `const fs = require('node:fs'); console.log('polling');
     while (fs.existsSync('/models/${modelId}/config.json')) await new Promise((r) => setImmediate(r));
     console.log('GONE ' + Date.now());`,
    'polling',
  );
  await poll.shown;
  const t0 = Date.now();
  withHolder.push(await setPrivate(modelId, true));
  const goneAt = Number(/GONE (\d+)/.exec(await poll.done)?.[1]);
  gone.push(goneAt - t0);
  await setPrivate(modelId, false);
  peer.push(await setPrivate(quiet, i % 2 === 0));
}
printTable(
  `A model made private: gone from a running runc sandbox that held it, ${TRIALS} trials (ms)`,
  ['what', 'p50', 'max'],
  [
    ['request sent → files gone, seen by a cell polling /models', median(gone), Math.max(...gone)],
    [
      'the settings request, one sandbox (of 1) holding the model',
      median(withHolder),
      Math.max(...withHolder),
    ],
    ['peer: the same request for a model no sandbox holds', median(peer), Math.max(...peer)],
  ],
);

// (2) Kernel start and shutdown with a model view (volume) per sandbox, beside a manager without views.
const bare = new KernelManager(server.services.runtime.driver, {
  instanceId: server.services.runtime.instanceId,
  runtime: 'runc',
  memoryMb: server.services.config.sandboxMemoryMb,
  cpus: server.services.config.sandboxCpus,
  poolSize: 0,
  poolEager: false,
  idleTimeoutS: 3600,
  executionTimeoutS: 60,
  maxKernelsPerUser: 100,
  image: () => image,
  log: server.services.log,
});
const viewed = server.services.runtime.kernels;
const startMs = { viewed: [] as number[], bare: [] as number[] };
const stopMs = { viewed: [] as number[], bare: [] as number[] };
for (let i = 0; i < STARTS; i++) {
  for (const [name, manager] of [
    ['viewed', viewed],
    ['bare', bare],
  ] as const) {
    let t = performance.now();
    const k = await manager.start(`bench-${name}`);
    startMs[name].push(performance.now() - t);
    t = performance.now();
    await manager.shutdown(k.id);
    stopMs[name].push(performance.now() - t);
  }
}
printTable(
  `Kernel start and shutdown (cold, runc), with a model view volume per sandbox vs none, alternating, ${STARTS} each (ms)`,
  ['kernels', 'start p50', 'start p90', 'shutdown p50'],
  [
    [
      'with a model view (volume created, mounted, removed)',
      median(startMs.viewed),
      percentile(startMs.viewed, 90),
      median(stopMs.viewed),
    ],
    ['peer: no model mount', median(startMs.bare), percentile(startMs.bare, 90), median(stopMs.bare)],
  ],
);

await bare.close();
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
