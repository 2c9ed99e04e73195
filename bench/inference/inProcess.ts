// Each seed pipeline's warm throughput in this process (transformers.js + onnxruntime-node), beside the
// bare onnxruntime-node session running the same graph on the same, already prepared input tensors: the
// peer shows what the pipeline (tokenizer, pre/post-processing, generation loop) costs on top.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeModels } from '@atrium/server/models/index';
import { env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { median, printTable } from '../lib/stats.js';
import { loadPipeline, type Workload, workloads } from './workloads.js';

const ROUND_MS = Number(process.env.ROUND_MS ?? 1500);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WARMUP = 5;

/** Calls per second of `call`, median over ROUNDS rounds of ROUND_MS each (bounded by count too). */
async function rate(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await call();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const started = performance.now();
    while (performance.now() - started < ROUND_MS && calls < 200_000) {
      await call();
      calls++;
    }
    rates.push((calls * 1000) / (performance.now() - started));
  }
  return median(rates);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-models-'));
await writeModels(root);
env.localModelPath = `${root}/`;
env.allowRemoteModels = false;

/** The feeds the pipeline's own model sees for this workload, captured once by wrapping the session. */
async function bareSessionRate({ task, model, run }: Workload): Promise<number> {
  const pipe = await loadPipeline(task, model);
  const sessions = pipe.model.sessions as Record<string, ort.InferenceSession>;
  const captured: { session: ort.InferenceSession; feeds: ort.InferenceSession.FeedsType }[] = [];
  for (const session of Object.values(sessions)) {
    const original = session.run.bind(session);
    (session as { run: unknown }).run = (feeds: ort.InferenceSession.FeedsType, ...rest: unknown[]) => {
      captured.push({ session, feeds });
      return (original as (...a: unknown[]) => unknown)(feeds, ...rest);
    };
  }
  await run(pipe);
  await pipe.dispose();
  // Replay every session call of one pipeline call on fresh sessions from the same files.
  const fresh = new Map<ort.InferenceSession, ort.InferenceSession>();
  const encoderDecoder = 'decoder_model_merged' in sessions;
  for (const [name, session] of Object.entries(sessions)) {
    // transformers.js names an encoder-decoder's encoder session `model`; its file is encoder_model.onnx.
    const file = name === 'model' && encoderDecoder ? 'encoder_model' : name;
    fresh.set(session, await ort.InferenceSession.create(path.join(root, model, 'onnx', `${file}.onnx`)));
  }
  return rate(async () => {
    for (const { session, feeds } of captured) await fresh.get(session)!.run(feeds);
  });
}

const rows: (string | number)[][] = [];
for (const workload of workloads) {
  const pipe = await loadPipeline(workload.task, workload.model);
  const call = () => workload.run(pipe);
  const pipelineRate = (await rate(call)) * workload.perCall;
  await pipe.dispose();
  const bareRate = (await bareSessionRate(workload)) * workload.perCall;
  rows.push([
    workload.task,
    workload.model,
    `${workload.unit}/s`,
    Math.round(pipelineRate),
    Math.round(bareRate),
    pipelineRate / bareRate,
  ]);
}
printTable(
  `Seed pipelines in-process, warm, median of ${ROUNDS} rounds of ${ROUND_MS} ms`,
  ['task', 'model', 'unit', 'transformers.js pipeline', 'peer: bare onnxruntime session.run', 'ratio'],
  rows,
);
fs.rmSync(root, { recursive: true, force: true });
