// The seed pipelines inside a real sandbox (Docker, runc, no network; models from the read-only /models)
// beside the same pipelines in this process, same run, after warm-up: throughput ratio (goal ≥ 0.9), and
// text generation's time to first token through sandbox → server → client minus the in-process figure
// (goal ≤ 20 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startAtrium } from '@atrium/server';
import { writeModels } from '@atrium/server/models/index';
import { env, TextStreamer } from '@huggingface/transformers';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';
import { loadPipeline, workloads } from './workloads.js';

const ROUND_MS = Number(process.env.ROUND_MS ?? 1500);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const TTFT_RUNS = Number(process.env.TTFT_RUNS ?? 15);
/** Only these tasks (comma-separated), e.g. TASKS=image-classification; all by default. */
const TASKS = process.env.TASKS?.split(',');

/** Inputs as code, so the kernel builds exactly what workloads.ts builds in this process. */
const CALLS: Record<string, string> = {
  'text-classification': "pipe('I love this wonderful film, the actors were brilliant!')",
  translation: "pipe('the cats are in the garden with the girl')",
  'text-generation': "pipe('Alice was', { max_new_tokens: 32 })",
  'question-answering':
    "pipe('Where does Bob live?', 'Alice lives in Paris and Bob lives in London with his dog.')",
  'image-classification': 'pipe(blue, { top_k: 3 })',
};

/** Loads the pipeline in the kernel and warms it up, as `loadPipeline` + warm-up do here. */
const kernelSetup = (task: string, model: string) => `
const { pipeline, RawImage } = await import('@huggingface/transformers');
const sharp = (await import('sharp')).default;
const bluePng = await sharp({ create: { width: 224, height: 224, channels: 3, background: '#2040e0' } }).png().toBuffer();
globalThis.blue = await RawImage.fromBlob(new Blob([bluePng]));
globalThis.pipe = await pipeline(${JSON.stringify(task)}, ${JSON.stringify(model)});
for (let i = 0; i < 5; i++) await ${CALLS[task]};
`;

/** One measuring round in the kernel, the same loop as `round` below; prints calls per second. */
const kernelRound = (task: string) => `{
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < ${ROUND_MS} && calls < 200000) { await ${CALLS[task]}; calls++; }
  console.log(JSON.stringify((calls * 1000) / (performance.now() - started)));
}`;

/** Calls per second of `call` over one round of ROUND_MS (bounded by count too). */
async function round(call: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS && calls < 200_000) {
    await call();
    calls++;
  }
  return (calls * 1000) / (performance.now() - started);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-sandbox-'));
const atrium = await startAtrium(
  loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_DATA_DIR: dataDir },
    {
      seed: true,
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
      // The in-process peer's onnxruntime uses every core; the sandbox gets the same, or the ratio
      // would measure the CPU quota instead of the platform's overhead.
      sandboxCpus: os.availableParallelism(),
      executionTimeoutS: 300,
      authRateLimit: 100_000,
    },
  ),
);
await atrium.services.runtime.whenReady();
if (atrium.services.runtime.image.state !== 'present')
  throw new Error('sandbox image missing: run npm run image -w sandbox');
const token = await signUp(atrium.url, `bench-${Date.now().toString(36)}`);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const kernel = (await (
  await fetch(`${atrium.url}/api/kernels`, { method: 'POST', headers, body: '{}' })
).json()) as {
  id: string;
};

/** Runs a cell; resolves with stdout and the ms until the first stdout text arrived at this client. */
async function cell(code: string): Promise<{ stdout: string; firstOutputMs: number }> {
  const started = performance.now();
  const res = await fetch(`${atrium.url}/api/kernels/${kernel.id}/execute`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ code }),
  });
  if (!res.body) throw new Error(`execute: ${res.status}`);
  let stdout = '';
  let firstOutputMs = Number.NaN;
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (!data) continue;
      const message = JSON.parse(data) as { header: { msg_type: string }; content: Record<string, unknown> };
      if (message.header.msg_type === 'stream' && message.content.name === 'stdout') {
        if (Number.isNaN(firstOutputMs)) firstOutputMs = performance.now() - started;
        stdout += String(message.content.text);
      }
      if (message.header.msg_type === 'error') throw new Error(String(message.content.evalue));
    }
  }
  return { stdout, firstOutputMs };
}

// In-process: the same files (generated again, byte-identical) from a local folder.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-models-'));
await writeModels(root);
env.localModelPath = `${root}/`;
env.allowRemoteModels = false;

const rows: (string | number)[][] = [];
for (const workload of workloads.filter((w) => !TASKS || TASKS.includes(w.task))) {
  const pipe = await loadPipeline(workload.task, workload.model);
  for (let i = 0; i < 5; i++) await workload.run(pipe);
  await cell(kernelSetup(workload.task, workload.model));
  // Rounds alternate between the two, so load changes on this shared machine hit both alike.
  const local: number[] = [];
  const sandboxed: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    local.push(await round(() => workload.run(pipe)));
    const { stdout } = await cell(kernelRound(workload.task));
    sandboxed.push(Number(stdout.trim().split('\n').at(-1)));
  }
  await pipe.dispose();
  await cell('await pipe.dispose();');
  const inProcess = median(local) * workload.perCall;
  const inSandbox = median(sandboxed) * workload.perCall;
  rows.push([
    workload.task,
    `${workload.unit}/s`,
    Math.round(inSandbox),
    Math.round(inProcess),
    inSandbox / inProcess,
  ]);
}
printTable(
  `Seed pipelines in a sandbox (runc, as many CPUs as the in-process peer) vs in-process, warm, median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms`,
  ['task', 'unit', 'in sandbox', 'peer: in-process', 'ratio'],
  rows,
);

// Time to first token: the prompt's first generated token, with the pipeline already loaded.
const generate = await loadPipeline('text-generation', 'atrium/tiny-gpt2-alice');
const local: number[] = [];
for (let i = 0; i < TTFT_RUNS + 3; i++) {
  let first = Number.NaN;
  const started = performance.now();
  const streamer = new TextStreamer(generate.tokenizer as never, {
    skip_prompt: true,
    callback_function: () => {},
    token_callback_function: () => {
      if (Number.isNaN(first)) first = performance.now() - started;
    },
  });
  await generate('Alice was', { max_new_tokens: 8, streamer });
  if (i >= 3) local.push(first);
}
await cell(`
const { pipeline: load, TextStreamer } = await import('@huggingface/transformers');
globalThis.generate = await load('text-generation', 'atrium/tiny-gpt2-alice');
globalThis.TextStreamer = TextStreamer;
await generate('Alice was', { max_new_tokens: 8 });
`);
const remote: number[] = [];
for (let i = 0; i < TTFT_RUNS + 3; i++) {
  const { firstOutputMs } = await cell(`
let sent = false;
const streamer = new TextStreamer(generate.tokenizer, {
  skip_prompt: true,
  callback_function: () => {},
  token_callback_function: () => { if (!sent) { sent = true; process.stdout.write('first token\\n'); } },
});
await generate('Alice was', { max_new_tokens: 8, streamer });
`);
  if (i >= 3) remote.push(firstOutputMs);
}
printTable(
  `Text generation, time to first token, median of ${TTFT_RUNS} (ms)`,
  ['path', 'median', 'p90'],
  [
    [
      'client → server → sandbox kernel → first token → server → client (HTTP + SSE)',
      median(remote),
      [...remote].sort((a, b) => a - b)[Math.ceil(0.9 * remote.length) - 1]!,
    ],
    [
      'peer: in-process pipeline call → first token callback',
      median(local),
      [...local].sort((a, b) => a - b)[Math.ceil(0.9 * local.length) - 1]!,
    ],
    ['difference (goal ≤ 20 ms)', median(remote) - median(local), ''],
  ],
);
await generate.dispose();
await atrium.close();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(root, { recursive: true, force: true });
