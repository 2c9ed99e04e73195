// Demo calls through the server's Gradio-compatible API, minus the function's own time, beside the
// function called directly and the SDK's in-process call; and 50 callers at once on one demo.

import { demo, Label, Number as Num, Textbox } from '@atrium/sandbox/sdk';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import { startTestServer } from '@atrium/tests/src/harness/index.js';
import { Client } from '@gradio/client';
import { median, percentile, printTable } from '../lib/stats.js';

const CALLS = Number(process.env.BENCH_DEMO_CALLS ?? 300);
const WARMUP = 30;
const TEXT = 'I really love how quick and friendly this little demo is, great work';
const POSITIVE = new Set(['love', 'great', 'quick', 'friendly', 'good']);

/** The demo's function: a bag-of-words sentiment scorer, a few hundred microseconds of real work. */
function classify(text: string) {
  let score = 0;
  for (let round = 0; round < 200; round++) {
    for (const word of text.toLowerCase().split(/\W+/)) if (POSITIVE.has(word)) score++;
  }
  const positive = Math.min(0.99, score / 200 / 6);
  return { POSITIVE: positive, NEGATIVE: 1 - positive };
}

let lastFnMs = 0;
const sentiment = demo({
  fn: ({ text }) => {
    const started = performance.now();
    const label = classify(text);
    lastFnMs = performance.now() - started;
    return { label };
  },
  inputs: [Textbox({ name: 'text' })],
  outputs: [Label({ name: 'label' })],
});

async function sample(calls: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await once();
  const overheads: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await once();
    overheads.push(performance.now() - started - lastFnMs);
  }
  return overheads;
}

/** POST call/<api> then read its SSE stream to the `complete` event, as curl would. */
async function callApi(app: string) {
  const post = await fetch(`${app}/gradio_api/call/predict`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: [TEXT] }),
  });
  const { event_id } = (await post.json()) as { event_id: string };
  const body = await (await fetch(`${app}/gradio_api/call/predict/${event_id}`)).text();
  if (!body.startsWith('event: complete')) throw new Error(`unexpected stream: ${body}`);
}

/** The same protocol @gradio/client speaks (queue/join + queue/data SSE), with bare fetch. */
async function joinQueue(app: string, session: string) {
  const join = await fetch(`${app}/gradio_api/queue/join`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: [TEXT], fn_index: 0, session_hash: session }),
  });
  if (!join.ok) throw new Error(`join: ${join.status}`);
  await join.json();
  const body = await (await fetch(`${app}/gradio_api/queue/data?session_hash=${session}`)).text();
  if (!body.includes('process_completed') || !body.includes('close_stream')) throw new Error(body);
}

export async function benchDemoCall() {
  const server = await startTestServer();
  try {
    await server.services.gradio.register('bench/sentiment', new InProcessDemoBackend(sentiment));
    const app = `${server.url}/spaces/bench/sentiment/app`;
    const client = await Client.connect(app);

    const fnTimes: number[] = [];
    for (let i = 0; i < CALLS + WARMUP; i++) {
      const started = performance.now();
      classify(TEXT);
      if (i >= WARMUP) fnTimes.push(performance.now() - started);
    }
    const sdk = await sample(CALLS, async () => {
      await sentiment.call([TEXT]);
    });
    const gradio = await sample(CALLS, async () => {
      await client.predict('/predict', [TEXT]);
    });
    const call = await sample(CALLS, () => callApi(app));
    const queue = await sample(CALLS, () => joinQueue(app, 'bench-session'));
    client.close();

    const row = (name: string, values: number[]) => [name, CALLS, median(values), percentile(values, 95)];
    printTable(
      `Demo call overhead (function ≈ ${median(fnTimes).toFixed(2)} ms, ${CALLS} sequential calls; goal p50 ≤ 10 ms)`,
      ['path', 'calls', 'p50 ms', 'p95 ms'],
      [
        row('function called directly (peer): its own time', fnTimes),
        row('SDK demo.call in process, minus function time', sdk),
        row('@gradio/client predict via server (queue/join + SSE), minus function time', gradio),
        row('fetch queue/join + queue/data SSE via server, minus function time', queue),
        row('fetch POST call/predict + GET SSE via server, minus function time', call),
      ],
    );
    await benchFiftyCallers(server.url, server);
  } finally {
    await server.stop();
  }
}

/** 50 @gradio/client callers submit at once to a demo with a concurrency limit of 2. */
async function benchFiftyCallers(url: string, server: Awaited<ReturnType<typeof startTestServer>>) {
  const CALLERS = 50;
  const started: number[] = [];
  const slow = demo({
    fn: async ({ caller }) => {
      started.push(caller);
      await new Promise((r) => setTimeout(r, 5));
      return { caller };
    },
    inputs: [Num({ name: 'caller' })],
    outputs: [Num({ name: 'caller' })],
    concurrencyLimit: 2,
  });
  const gradioApp = await server.services.gradio.register('bench/queue', new InProcessDemoBackend(slow));
  const app = `${url}/spaces/bench/queue/app`;
  const clients: Client[] = await Promise.all(Array.from({ length: CALLERS }, () => Client.connect(app)));
  // Join order as the server saw it: wrap join to record it.
  const joined: number[] = [];
  const join = gradioApp.join.bind(gradioApp);
  gradioApp.join = (session, fnIndex, data) => {
    joined.push(data[0] as number);
    return join(session, fnIndex, data);
  };
  const t0 = performance.now();
  const outcomes = await Promise.allSettled(clients.map((c, i) => c.predict('/predict', [i])));
  const wall = performance.now() - t0;
  for (const c of clients) c.close();
  const errors = outcomes.filter((o) => o.status === 'rejected').length;
  const correct = outcomes.every((o, i) => o.status === 'fulfilled' && (o.value.data as number[])[0] === i);
  const viaServerOrder = started.length === CALLERS && started.every((caller, i) => caller === joined[i]);

  started.length = 0;
  joined.length = 0;
  const t2 = performance.now();
  const bare = await Promise.allSettled(
    Array.from({ length: CALLERS }, async (_, i) => {
      const join = await fetch(`${app}/gradio_api/queue/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ data: [i], fn_index: 0, session_hash: `bare-${i}` }),
      });
      if (!join.ok) throw new Error(`join ${join.status}`);
      const body = await (await fetch(`${app}/gradio_api/queue/data?session_hash=bare-${i}`)).text();
      if (!body.includes(`"data":[${i}]`)) throw new Error(body);
    }),
  );
  const bareWall = performance.now() - t2;
  const bareErrors = bare.filter((o) => o.status === 'rejected').length;
  const bareOrder = started.length === CALLERS && started.every((caller, i) => caller === joined[i]);

  started.length = 0;
  const t1 = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, (_, i) => slow.call([i])));
  const direct = performance.now() - t1;
  const directOrder = started.every((v, i) => v === i);

  printTable(
    `${CALLERS} callers at once on one demo (concurrency limit 2, function sleeps 5 ms)`,
    ['path', 'callers', 'errors', 'results correct', 'start order = join order', 'wall ms'],
    [
      ['SDK demo.call in process (peer)', CALLERS, 0, 'yes', directOrder ? 'yes' : 'NO', direct],
      [
        '@gradio/client predict via server',
        CALLERS,
        errors,
        correct ? 'yes' : 'NO',
        viaServerOrder ? 'yes' : 'NO',
        wall,
      ],
      [
        'fetch queue/join + queue/data via server',
        CALLERS,
        bareErrors,
        bareErrors ? 'NO' : 'yes',
        bareOrder ? 'yes' : 'NO',
        bareWall,
      ],
    ],
  );
}
