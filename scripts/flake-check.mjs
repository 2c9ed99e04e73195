// `npm run flake-check -- [--runs N] [--hog] [--hog-runs M] [test files…]`: runs every vitest suite (or
// the files given) N times in a row, optionally with one core kept busy, and reports each test that
// failed in any run: in how many runs, and its error. A suite that passes on every run on a quiet
// machine and fails now and then at load has a hidden time bound or a race: read it, don't rerun it.
//
//   --runs N       runs on the machine as it is (default 3)
//   --hog          keep one core busy during those runs too
//   --hog-runs M   then M more runs with one core busy (the issue's proof: --runs 3 --hog-runs 1)
//   --out <dir>    where each run's console output and the summary go (default tests/test-results/flake-check)
//
// One core is kept busy by `stress-ng --cpu 1` (Debian's stress-ng) or, without it, a spinning worker thread.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ensureImage } from './image.mjs';
import { dockerAvailable, ensureBuilt, ensureInstalled, root } from './lib.mjs';
import { duration, filesByWorkspace, outcomes, runWithReport, VITEST_WORKSPACES } from './vitestRuns.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    hog: { type: 'boolean', default: false },
    'hog-runs': { type: 'string', default: '0' },
    out: { type: 'string', default: path.join(root, 'tests', 'test-results', 'flake-check') },
  },
});

const plan = [
  ...Array.from({ length: Number(values.runs) }, () => values.hog),
  ...Array.from({ length: Number(values['hog-runs']) }, () => true),
];
if (plan.length === 0) {
  console.error('nothing to run: --runs 0 and --hog-runs 0');
  process.exit(2);
}
// What each run covers: the files given, by workspace, or every vitest workspace whole.
const targets = positionals.length
  ? [...filesByWorkspace(positionals)]
  : VITEST_WORKSPACES.map((workspace) => [workspace, []]);

ensureInstalled();
ensureBuilt();
if (dockerAvailable()) ensureImage();
fs.mkdirSync(values.out, { recursive: true });

/** Keeps one core busy until the returned function is called. */
function hogOneCore() {
  const stress = spawnSync('stress-ng', ['--version'], { stdio: 'ignore' });
  if (stress.status === 0) {
    const child = spawn('stress-ng', ['--cpu', '1', '--quiet'], { stdio: 'ignore', detached: true });
    return { what: 'stress-ng --cpu 1', stop: () => process.kill(-child.pid, 'SIGTERM') };
  }
  const worker = new Worker('for (;;) {}', { eval: true });
  return { what: 'a spinning worker thread', stop: () => void worker.terminate() };
}

/** Per test (file + name): the runs it failed in and the first error seen. */
const failed = new Map();
const runs = [];
for (const [index, hogged] of plan.entries()) {
  const label = `run ${index + 1}/${plan.length}${hogged ? ' (one core busy)' : ''}`;
  const hog = hogged ? hogOneCore() : null;
  const started = performance.now();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    for (const [workspace, files] of targets) {
      const log = path.join(values.out, `run-${index + 1}-${workspace}.log`);
      fs.rmSync(log, { force: true });
      const { report } = await runWithReport(workspace, files.length ? files : ['--passWithNoTests'], {
        log,
      });
      if (!report) {
        const key = `${workspace}\0(suite)`;
        failed.set(key, failed.get(key) ?? { file: workspace, name: '(suite)', runs: [], error: '' });
        failed.get(key).runs.push(index + 1);
        failed.get(key).error ||= `vitest wrote no report; see ${path.relative(root, log)}`;
        counts.failed++;
        continue;
      }
      for (const result of outcomes(workspace, report)) {
        if (result.status === 'passed') counts.passed++;
        else if (result.status !== 'failed') counts.skipped++;
        else {
          counts.failed++;
          const key = `${result.file}\0${result.name}`;
          if (!failed.has(key))
            failed.set(key, { file: result.file, name: result.name, runs: [], error: result.error });
          failed.get(key).runs.push(index + 1);
        }
      }
    }
  } finally {
    hog?.stop();
  }
  const ms = performance.now() - started;
  runs.push({ run: index + 1, hog: hog?.what ?? null, ...counts, ms: Math.round(ms) });
  console.log(
    `${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${duration(ms)}${hog ? ` (${hog.what})` : ''}`,
  );
}

const failures = [...failed.values()].sort((x, y) => y.runs.length - x.runs.length);
fs.writeFileSync(path.join(values.out, 'summary.json'), JSON.stringify({ runs, failures }, null, 2));
if (failures.length === 0) {
  console.log(`\nNo test failed in ${plan.length} run(s).`);
} else {
  console.log(`\n${failures.length} test(s) failed in at least one of ${plan.length} run(s):`);
  for (const f of failures) {
    const hogged = f.runs.filter((r) => plan[r - 1]).length;
    console.log(
      `\n✗ ${f.file} > ${f.name}\n  failed in ${f.runs.length} of ${plan.length} runs (runs ${f.runs.join(', ')}${hogged ? `; ${hogged} with one core busy` : ''})\n${f.error.replace(/^/gm, '    ')}`,
    );
  }
}
console.log(`\nLogs and summary.json: ${path.relative(root, values.out)}/`);
process.exitCode = failures.length ? 1 : 0;
