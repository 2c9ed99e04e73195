// The Space runtime with real sandboxes: commit → RUNNING for an `atrium` Space (warm pool and cold)
// beside a plain container start of the same image in the same run; duplicating a 1 GB Space beside
// a one-file Space; 50 callers at once on a sandboxed Space beside the same demo in process.

import { randomBytes } from 'node:crypto';
import type { SpaceStage } from '@atrium/protocol';
import { demo, Number as Num, Textbox } from '@atrium/sandbox/sdk';
import { lfsGitOid } from '@atrium/server/hub/gitOid';
import type { FileEntry } from '@atrium/server/hub/RepoStore';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import {
  createUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '@atrium/tests/src/harness/index.js';
import { Client } from '@gradio/client';
import { median, percentile, printTable } from '../lib/stats.js';

const ROUNDS = Number(process.env.BENCH_SPACE_ROUNDS ?? 15);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const appSource = (n: number) => `import { demo, Textbox } from '@atrium/sandbox/sdk';
export default demo({
  inputs: [Textbox({ name: 'name' })],
  outputs: [Textbox({ name: 'greeting' })],
  fn: ({ name }: { name: string }) => ({ greeting: \`Hello #${n}, \${name}!\` }),
});
`;

const QUEUE_APP = `import { demo, Number as Num, Textbox } from '@atrium/sandbox/sdk';
let started = 0;
export default demo({
  inputs: [Num({ name: 'caller' })],
  outputs: [Num({ name: 'caller' }), Num({ name: 'startedAs' })],
  concurrencyLimit: 2,
  fn: async ({ caller }: { caller: number }) => {
    const startedAs = started++;
    await new Promise((r) => setTimeout(r, 5));
    return { caller, startedAs };
  },
});
`;

async function post(url: string, path: string, user: TestUser, body: unknown, type = 'application/json') {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ commitOid: string } & Record<string, unknown>>;
}

const commitBody = (files: Record<string, string>) =>
  [
    { key: 'header', value: { summary: 'bench', description: '' } },
    ...Object.entries(files).map(([path, content]) => ({
      key: 'file',
      value: { path, content: Buffer.from(content).toString('base64'), encoding: 'base64' },
    })),
  ]
    .map((l) => JSON.stringify(l))
    .join('\n');

/** Polls the runtime in process (no HTTP, no visit) every millisecond until the stage and sha match. */
async function untilStage(
  server: TestServer,
  owner: string,
  name: string,
  stage: SpaceStage,
  sha?: string,
  ms = 60_000,
) {
  const repo = await server.services.hub.repos.find('space', owner, name);
  if (!repo) throw new Error(`no Space ${owner}/${name}`);
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(1)) {
    const view = await server.services.spaceRuntimes.view(repo, { wake: false });
    if (view.stage === stage && (!sha || view.sha === sha)) return;
    if (view.errorMessage) throw new Error(`${owner}/${name}: ${view.stage} ${view.errorMessage}`);
  }
  throw new Error(`${owner}/${name} never reached ${stage}`);
}

async function startServer(pool: number) {
  process.env.ATRIUM_SPACES_POOL_SIZE = String(pool);
  const server = await startTestServer({ sandboxPoolSize: 0, sandboxPoolEager: false });
  await server.services.runtime.whenReady();
  if (server.services.runtime.image.state !== 'present') throw new Error('no sandbox image');
  return server;
}

/** Commit → RUNNING with the new sha, `ROUNDS` times; waits for the pool to refill between rounds. */
async function commitToRunning(server: TestServer, user: TestUser, name: string, pooled: boolean) {
  await post(server.url, '/api/spaces/from-template', user, { template: 'blank-space', name });
  await untilStage(server, user.name, name, 'RUNNING');
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (pooled) {
      for (let t = 0; t < 200 && server.services.spaceRuntimes.stats().pooled < 1; t++) await sleep(25);
      await sleep(200);
    } else await sleep(300);
    const started = performance.now();
    const { commitOid } = await post(
      server.url,
      `/api/spaces/${user.name}/${name}/commit/main`,
      user,
      commitBody({ 'app.ts': appSource(i) }),
      'application/x-ndjson',
    );
    await untilStage(server, user.name, name, 'RUNNING', commitOid);
    times.push(performance.now() - started);
  }
  return times;
}

/** The peer: create + attach + start of the same hardened sandbox until its runner speaks, then removal. */
async function plainStarts(server: TestServer) {
  const { driver } = server.services.runtime;
  const image = server.services.runtime.image.tag as string;
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const id = await driver.create({
      name: `atrium-bench-plain-${randomBytes(4).toString('hex')}`,
      image,
      runtime: server.services.config.sandboxRuntime,
      memoryMb: 512,
      cpus: 1,
      env: { ATRIUM_RUNNER_MODE: 'app' },
      labels: { 'atrium.instance': server.services.runtime.instanceId, 'atrium.purpose': 'bench' },
    });
    const channel = await driver.attach(id);
    const firstLine = new Promise<void>((resolve) => channel.output.once('data', () => resolve()));
    await driver.start(id);
    await firstLine;
    times.push(performance.now() - started);
    channel.close();
    await driver.remove(id);
    await sleep(300);
  }
  return times;
}

async function seedBigSpace(
  server: TestServer,
  user: TestUser,
  name: string,
  files: number,
  fileSize: number,
) {
  await post(server.url, '/api/spaces/from-template', user, { template: 'blank-space', name });
  const { services } = server;
  const repo = (await services.hub.repos.find('space', user.name, name))!;
  const actor = (await services.accounts.findByName(user.name))!;
  const puts: FileEntry[] = [];
  for (let i = 0; i < files; i++) {
    const { sha256, size } = await services.hub.blobs.put(randomBytes(fileSize));
    puts.push({ path: `weights/part-${i}.bin`, sha256, size, gitOid: lfsGitOid(sha256, size), lfs: true });
  }
  const outcome = await services.hub.repos.commit({
    repoId: repo.id,
    branch: 'main',
    authorId: actor.id,
    authorName: actor.name,
    title: 'weights',
    message: '',
    createdAt: new Date().toISOString(),
    changes: { put: puts, deleteFiles: [], deleteFolders: [] },
  });
  if (!outcome.ok) throw new Error('seed failed');
  // Writing 1 GB blocked the event loop for seconds: let idle keep-alive sockets close before reusing them.
  await sleep(200);
  await post(server.url, `/api/spaces/${user.name}/${name}/variables`, user, { key: 'MODE', value: 'bench' });
  await untilStage(server, user.name, name, 'RUNNING');
}

async function duplicates(server: TestServer, user: TestUser, source: string, runs: number) {
  const times: number[] = [];
  const toRunning: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = `${source}-copy-${i}`;
    const started = performance.now();
    await post(server.url, `/api/spaces/${user.name}/${source}/duplicate`, user, {
      repository: `${user.name}/${name}`,
    });
    times.push(performance.now() - started);
    await untilStage(server, user.name, name, 'RUNNING');
    toRunning.push(performance.now() - started);
  }
  return { times, toRunning };
}

/** 50 @gradio/client callers at once; the app numbers the calls as it starts them, the server records joins. */
async function fiftyCallers(server: TestServer, id: string) {
  const CALLERS = 50;
  const url = server.url;
  const gradioApp = server.services.gradio.get(id);
  if (!gradioApp) throw new Error(`${id} is not running`);
  const joined: number[] = [];
  const join = gradioApp.join.bind(gradioApp);
  gradioApp.join = (session, fnIndex, data) => {
    joined.push(data[0] as number);
    return join(session, fnIndex, data);
  };
  const clients: Client[] = await Promise.all(
    Array.from({ length: CALLERS }, () => Client.connect(`${url}/spaces/${id}/app`)),
  );
  const t0 = performance.now();
  const outcomes: PromiseSettledResult<{ data: unknown }>[] = await Promise.allSettled(
    clients.map((c: Client, i: number) => c.predict('/predict', [i])),
  );
  const wall = performance.now() - t0;
  for (const c of clients) c.close();
  const errors = outcomes.filter((o) => o.status === 'rejected').length;
  const results = outcomes.map((o) => (o.status === 'fulfilled' ? (o.value.data as number[]) : [-1, -1]));
  const correct = results.every((r, i) => r[0] === i);
  // Queue order kept: the n-th call the server accepted is the n-th the app started.
  const inJoinOrder =
    joined.length === CALLERS &&
    joined.every((caller, n) => results[caller]?.[1] === (results[joined[0] as number]?.[1] as number) + n);
  return { errors, correct, inJoinOrder, wall };
}

/** One `call/<api>` round trip as curl does it (POST, then the SSE stream to `complete`). */
async function curlCall(app: string) {
  const post = await fetch(`${app}/gradio_api/call/predict`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: ['Ada'] }),
  });
  const { event_id } = (await post.json()) as { event_id: string };
  const body = await (await fetch(`${app}/gradio_api/call/predict/${event_id}`)).text();
  if (!body.startsWith('event: complete')) throw new Error(`unexpected stream: ${body}`);
}

/** Sequential calls of a function that takes ≈ 0 ms: in a sandboxed Space, and in process on the same server. */
async function callOverhead(server: TestServer, id: string) {
  const CALLS = 200;
  const greet = demo({
    inputs: [Textbox({ name: 'name' })],
    outputs: [Textbox({ name: 'greeting' })],
    fn: ({ name }) => ({ greeting: `Hello, ${name}!` }),
  });
  await server.services.gradio.register('bench/greet', new InProcessDemoBackend(greet));
  const measure = async (app: string, once: (app: string) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await once(app);
    const times: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      await once(app);
      times.push(performance.now() - started);
    }
    return times;
  };
  const sandboxApp = `${server.url}/spaces/${id}/app`;
  const localApp = `${server.url}/spaces/bench/greet/app`;
  const sandboxClient = await Client.connect(sandboxApp);
  const localClient = await Client.connect(localApp);
  const rows = [
    ['in process on the server, call/predict + SSE (peer)', await measure(localApp, curlCall)],
    ['sandboxed Space, call/predict + SSE', await measure(sandboxApp, curlCall)],
    [
      'in process on the server, @gradio/client predict (peer)',
      await measure(localApp, () => localClient.predict('/predict', ['Ada'])),
    ],
    [
      'sandboxed Space, @gradio/client predict',
      await measure(sandboxApp, () => sandboxClient.predict('/predict', ['Ada'])),
    ],
  ] as const;
  sandboxClient.close();
  localClient.close();
  printTable(
    `Demo call through the server, function ≈ 0 ms (${CALLS} sequential calls; goal p50 ≤ 10 ms)`,
    ['path', 'calls', 'p50 ms', 'p95 ms'],
    rows.map(([name, v]) => [name, v.length, median([...v]), percentile([...v], 95)]),
  );
}

export async function benchSpaceRuntime() {
  const warm = await startServer(1);
  let cold: TestServer | undefined;
  try {
    const user = await createUser(warm.url);
    const plain = await plainStarts(warm);
    const warmTimes = await commitToRunning(warm, user, 'warm', true);
    cold = await startServer(0);
    const coldUser = await createUser(cold.url);
    const coldTimes = await commitToRunning(cold, coldUser, 'cold', false);
    await cold.stop();
    cold = undefined;
    const row = (name: string, v: number[]) => [name, v.length, median(v), percentile(v, 95)];
    printTable(
      `Commit → RUNNING for an atrium Space (${warm.services.config.sandboxRuntime}, ${ROUNDS} commits each; goal p50 ≤ 1000 ms)`,
      ['path', 'runs', 'p50 ms', 'p95 ms'],
      [
        row('plain sandbox start: create + attach + start until the runner speaks (peer)', plain),
        row('commit → RUNNING, warm app sandbox waiting (default pool of 1)', warmTimes),
        row('commit → RUNNING, cold (ATRIUM_SPACES_POOL_SIZE=0)', coldTimes),
      ],
    );

    await callOverhead(warm, `${user.name}/warm`);

    await seedBigSpace(warm, user, 'big', 16, 64 * 1024 * 1024);
    await seedBigSpace(warm, user, 'small', 0, 0);
    const big = await duplicates(warm, user, 'big', 5);
    const small = await duplicates(warm, user, 'small', 5);
    printTable(
      'Duplicating a Space (POST /api/spaces/{id}/duplicate, variables copied; goal ≤ 100 ms for 1 GB)',
      ['Space', 'runs', 'duplicate p50 ms', 'duplicate max ms', 'until the copy is RUNNING p50 ms'],
      [
        ['one app file (peer)', 5, median(small.times), Math.max(...small.times), median(small.toRunning)],
        [
          '1 GB (16 × 64 MB LFS files + app)',
          5,
          median(big.times),
          Math.max(...big.times),
          median(big.toRunning),
        ],
      ],
    );

    await post(warm.url, '/api/spaces/from-template', user, { template: 'blank-space', name: 'queue' });
    const { commitOid } = await post(
      warm.url,
      `/api/spaces/${user.name}/queue/commit/main`,
      user,
      commitBody({ 'app.ts': QUEUE_APP }),
      'application/x-ndjson',
    );
    await untilStage(warm, user.name, 'queue', 'RUNNING', commitOid);
    const sandboxed = await fiftyCallers(warm, `${user.name}/queue`);
    let started = 0;
    const inProcess = demo({
      inputs: [Num({ name: 'caller' })],
      outputs: [Num({ name: 'caller' }), Num({ name: 'startedAs' })],
      concurrencyLimit: 2,
      fn: async ({ caller }) => {
        const startedAs = started++;
        await sleep(5);
        return { caller, startedAs };
      },
    });
    await warm.services.gradio.register('bench/queue', new InProcessDemoBackend(inProcess));
    const local = await fiftyCallers(warm, 'bench/queue');
    printTable(
      '50 @gradio/client callers at once (concurrency limit 2, function sleeps 5 ms)',
      ['demo', 'callers', 'errors', 'results correct', 'started in join order', 'wall ms'],
      [
        [
          'in process on the server (peer)',
          50,
          local.errors,
          local.correct ? 'yes' : 'NO',
          local.inJoinOrder ? 'yes' : 'NO',
          local.wall,
        ],
        [
          'sandboxed Space (app mode)',
          50,
          sandboxed.errors,
          sandboxed.correct ? 'yes' : 'NO',
          sandboxed.inJoinOrder ? 'yes' : 'NO',
          sandboxed.wall,
        ],
      ],
    );
  } finally {
    await cold?.stop();
    await warm.stop();
  }
}
