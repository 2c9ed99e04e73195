import type { KernelView } from '@atrium/protocol';
import { bearer, createUser, type TestUser } from '../harness/index.js';
import { callApp, spaceWithApp, waitForStage } from '../spaces/runtimeTesting.js';
import { HOSTILE_LINES_JS, OVERSIZED_WRITE_JS } from './hostileLines.js';
import type { KeyTap } from './hostileTesting.js';
import { type Execution, execute, startKernel } from './sandboxTesting.js';

/**
 * The sandbox→server fuzz workload (issue 12's proof), shared by tests/src/sandbox/fuzz.test.ts and
 * bench/sandbox/hostileHealth.ts: hostile lines written from cells (through /proc/1/fd/1, signed
 * with the channel's key where they should look genuine) and from a Space app (on its own stdout),
 * while an honest kernel and an honest Space keep working and /api/health is polled.
 */
export interface FuzzOptions {
  /** Hostile lines in all; 60 % from cells, 40 % from the app. */
  lines: number;
  /** Lines per cell run or app call. */
  batch?: number;
  /** Hostile kernels writing at once. */
  kernels?: number;
  /** Also end one kernel with a line past the channel's limit. */
  oversized?: boolean;
}

export interface FuzzReport {
  kernelLines: number;
  appLines: number;
  /** Honest cells and calls that came back exactly as they should. */
  honestCells: number;
  honestCalls: number;
  /** What came back wrong (empty when every honest output arrived). */
  honestFailures: string[];
  /** Each /api/health answer during the fuzz: its latency and status, or why there was none. */
  health: { ms: number; status: number }[];
  healthErrors: string[];
  /** Why hostile kernels ended (a line past the limit); they are replaced and the fuzz goes on. */
  kernelsEnded: string[];
  /** Hostile runs that ended otherwise than expected (a hostile kernel that hung, say). */
  hostileProblems: string[];
  seconds: number;
}

/** A Space app that answers `fuzz:<start>:<count>` by writing those hostile lines on its stdout first. */
const FUZZ_APP = `import { demo, Textbox } from '@atrium/sandbox/sdk';
import fs from 'node:fs';
${HOSTILE_LINES_JS}
// The runner's control channel is this process's stdin: the app learns the ids of the calls it gets
// (one at a time: the previous call has finished when the next one arrives).
const finished: string[] = [];
let current = '';
process.stdin.on('data', (chunk: Buffer) => {
  for (const line of String(chunk).split('\\n')) {
    try {
      const msg = JSON.parse(line);
      if (msg.type !== 'call') continue;
      if (current) finished.push(current);
      current = msg.id;
    } catch {}
  }
});
export default demo({
  inputs: [Textbox({ name: 'x' })],
  outputs: [Textbox({ name: 'y' })],
  fn: ({ x }: { x: string }) => {
    const [what, start, count] = x.split(':');
    if (what !== 'fuzz') return { y: 'honest ' + x };
    const text = hostileLines(Number(start), Number(count), { mode: 'app', current, finished: finished.slice(-20) });
    // A blocking descriptor of our stdout: fd 1 itself is non-blocking, and a write cut short there
    // would leave half a line for the runner's reply to land in.
    const out = fs.openSync('/proc/self/fd/1', 'w');
    const bytes = Buffer.from(text, 'latin1');
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(out, bytes, at, Math.min(65536, bytes.length - at));
    fs.closeSync(out);
    return { y: 'fuzzed ' + count };
  },
});
`;

/** A cell writing hostile lines onto its sandbox's channel, signed with the channel's key. */
function hostileCell(start: number, count: number, key: string, finished: string[]): string {
  return `const fs = require('fs'); const { createHmac } = require('crypto');
${HOSTILE_LINES_JS}
const key = Buffer.from('${key}', 'hex');
const sign = (json) => createHmac('sha256', key).update(json).digest('hex');
const text = hostileLines(${start}, ${count}, { mode: 'kernel', sign, finished: ${JSON.stringify(finished.slice(-20))} });
const fd = fs.openSync('/proc/1/fd/1', 'w');
const bytes = Buffer.from(text, 'latin1');
for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, Math.min(65536, bytes.length - at));
${count}`;
}

const OVERSIZED_CELL = `const fs = require('fs');
${OVERSIZED_WRITE_JS}
writeOversized(fs.openSync('/proc/1/fd/1', 'w'));`;

const debug = (...args: unknown[]) => {
  if (process.env.FUZZ_DEBUG) console.log(new Date().toISOString().slice(11, 19), ...args);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A hostile run that does not come back in time is a finding, not a reason for the suite to hang. */
const HOSTILE_RUN_MS = 120_000;
function withinTime<T>(what: string, run: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    run,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not finish in ${HOSTILE_RUN_MS} ms`)),
        HOSTILE_RUN_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function runChannelFuzz(url: string, tap: KeyTap, options: FuzzOptions): Promise<FuzzReport> {
  const batch = options.batch ?? 5000;
  const kernelQuota = Math.round(options.lines * 0.6);
  const appQuota = options.lines - kernelQuota;
  await createUser(url); // the instance admin
  const alice = await createUser(url);
  const as = bearer(alice.token);
  const report: FuzzReport = {
    kernelLines: 0,
    appLines: 0,
    honestCells: 0,
    honestCalls: 0,
    honestFailures: [],
    health: [],
    healthErrors: [],
    kernelsEnded: [],
    hostileProblems: [],
    seconds: 0,
  };

  const honestKernel = await startKernel(url, as);
  debug('honest kernel');
  const honestSpace = await space(url, alice, 'honest-app');
  const fuzzSpace = await space(url, alice, 'fuzz-app', FUZZ_APP);
  debug('spaces up');
  const started = performance.now();
  let fuzzing = true;

  const healthLoop = (async () => {
    while (fuzzing) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        report.health.push({ ms: performance.now() - t, status: res.status });
      } catch (err) {
        report.healthErrors.push(String(err));
      }
      await sleep(100);
    }
  })();

  const honestCellsLoop = (async () => {
    for (let i = 1; fuzzing; i++) {
      // Every fifth cell prints 2,000 lines that must all arrive, in order.
      const printing = i % 5 === 0;
      const code = printing ? `for (let n = 0; n < 2000; n++) console.log('honest-${i}-' + n)` : `${i} * 2`;
      const run = await execute(url, as, honestKernel.id, code);
      const expected = Array.from({ length: 2000 }, (_, n) => `honest-${i}-${n}\n`).join('');
      const ok = printing ? run.stdout === expected : run.result?.['text/plain'] === String(i * 2);
      if (ok && run.reply?.status === 'ok') report.honestCells += 1;
      else report.honestFailures.push(`cell ${i}: ${JSON.stringify(run.error ?? run.reply).slice(0, 300)}`);
    }
  })();

  const honestCallsLoop = (async () => {
    for (let i = 1; fuzzing; i++) {
      try {
        const out = await callApp(url, honestSpace, [`n${i}`], 'predict', alice);
        if (out[0] === `Hello, n${i}!`) report.honestCalls += 1;
        else report.honestFailures.push(`call ${i}: ${JSON.stringify(out).slice(0, 300)}`);
      } catch (err) {
        report.honestFailures.push(`call ${i}: ${String(err).slice(0, 300)}`);
      }
    }
  })();

  let kernelNext = 0;
  let oversizedSent = !options.oversized;
  const hostileKernel = async () => {
    let kernel = await hostileStart(url, as, tap);
    const finished: string[] = [];
    while (kernelNext < kernelQuota) {
      if (!oversizedSent) {
        oversizedSent = true;
        const run = await execute(url, as, kernel.view.id, OVERSIZED_CELL);
        if (run.error?.ename === 'KernelDied') report.kernelsEnded.push(run.error.evalue);
        else report.hostileProblems.push(`oversized line: ${JSON.stringify(run.error ?? run.reply)}`);
        kernel = await hostileStart(url, as, tap);
        continue;
      }
      const start = kernelNext;
      const count = Math.min(batch, kernelQuota - start);
      kernelNext += count;
      debug('cell', start, count);
      let run: Execution;
      try {
        run = await withinTime(
          `cell ${start}`,
          execute(url, as, kernel.view.id, hostileCell(start, count, kernel.key, finished)),
        );
      } catch (err) {
        report.hostileProblems.push(String(err));
        kernel = await hostileStart(url, as, tap);
        continue;
      }
      debug('cell done', start, run.reply?.status, run.error?.evalue);
      const parent = run.messages[0]?.parent_header.msg_id;
      if (parent) finished.push(parent);
      if (run.result?.['text/plain'] === String(count)) report.kernelLines += count;
      else if (run.error?.ename === 'KernelDied') {
        report.kernelsEnded.push(run.error.evalue);
        kernel = await hostileStart(url, as, tap);
      } else
        report.hostileProblems.push(`cell ${start}: ${JSON.stringify(run.error ?? run.reply).slice(0, 300)}`);
    }
  };

  let appNext = 0;
  const hostileApp = async () => {
    while (appNext < appQuota) {
      const start = appNext;
      const count = Math.min(batch, appQuota - start);
      appNext += count;
      try {
        debug('app', start, count);
        const out = await withinTime(
          `app call ${start}`,
          callApp(url, fuzzSpace, [`fuzz:${start}:${count}`], 'predict', alice),
        );
        debug('app done', start, out);
        if (out[0] === `fuzzed ${count}`) report.appLines += count;
        else report.hostileProblems.push(`app ${start}: ${JSON.stringify(out).slice(0, 300)}`);
      } catch (err) {
        report.hostileProblems.push(`app ${start}: ${String(err).slice(0, 300)}`);
      }
    }
  };

  try {
    await Promise.all([...Array.from({ length: options.kernels ?? 2 }, hostileKernel), hostileApp()]);
  } finally {
    fuzzing = false;
    report.seconds = (performance.now() - started) / 1000;
    await Promise.all([healthLoop, honestCellsLoop, honestCallsLoop]);
  }
  return report;
}

/** A kernel for hostile cells and the key of its channel (from the tap, never from the sandbox). */
async function hostileStart(url: string, as: Record<string, string>, tap: KeyTap) {
  const view: KernelView = await startKernel(url, as);
  const key = tap.keyOf(view.containerId);
  if (!key) throw new Error(`the tap saw no key for ${view.containerId}`);
  return { view, key };
}

/** A Space from the blank template (its app says "Hello, <name>!"), or running `app` instead; once it serves. */
async function space(url: string, user: TestUser, name: string, app?: string): Promise<string> {
  const id = await spaceWithApp(url, user, name, app);
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(200)) {
    await waitForStage(url, id, ['RUNNING'], user, 180_000);
    const out = await callApp(url, id, ['ping'], 'predict', user).catch(() => []);
    if (out[0] === (app ? 'honest ping' : 'Hello, ping!')) return id;
  }
  throw new Error(`Space ${id} never served its app`);
}
