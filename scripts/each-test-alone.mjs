// `node scripts/each-test-alone.mjs [options] <test files…>`: runs every test of the given files on its
// own (`vitest run <file> -t '<exact name>'`), so a test that leans on state an earlier test left behind
// fails here. Too slow for CI on 2 cores (a server, containers or a browser start for each test): run it
// when tests change, in chunks, under `nice -n 19`.
//
//   --out <file.jsonl>   append one JSON line per test (file, name, status, error, ms); with --resume,
//                        tests already in it are not run again
//   --resume             skip tests recorded in --out
//   -t <regexp>          only tests whose full name matches
//   --timeout <s>        end one test's run after this long (default 900)
//   --logs <dir>         keep each run's console output there (default tests/test-results/each-test-alone)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './lib.mjs';
import {
  duration,
  exactNamePattern,
  filesByWorkspace,
  listTests,
  outcomes,
  runWithReport,
} from './vitestRuns.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    resume: { type: 'boolean', default: false },
    t: { type: 'string', short: 't' },
    timeout: { type: 'string', default: '900' },
    logs: { type: 'string', default: path.join(root, 'tests', 'test-results', 'each-test-alone') },
  },
});
if (positionals.length === 0) {
  console.error(
    'usage: node scripts/each-test-alone.mjs [--out results.jsonl] [--resume] [-t regexp] <test files…>',
  );
  process.exit(2);
}

const done = new Set();
if (values.resume && values.out && fs.existsSync(values.out)) {
  for (const line of fs.readFileSync(values.out, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    done.add(`${r.file}\0${r.name}`);
  }
}
fs.mkdirSync(values.logs, { recursive: true });
const filter = values.t ? new RegExp(values.t) : null;
const failures = [];
let passed = 0;
let skipped = 0;
const started = performance.now();

for (const [workspace, files] of filesByWorkspace(positionals)) {
  for (const file of files) {
    const tests = (await listTests(workspace, [file])).filter((t) => !filter || filter.test(t.name));
    for (const test of tests) {
      const id = `${path.join(workspace, test.file)}\0${test.name}`;
      if (done.has(id)) continue;
      const log = path.join(values.logs, `${id.replace(/[^\w.-]+/g, '_').slice(0, 180)}.log`);
      fs.rmSync(log, { force: true });
      const t0 = performance.now();
      const { report } = await runWithReport(workspace, [test.file, '-t', exactNamePattern(test.name)], {
        log,
        timeoutMs: Number(values.timeout) * 1000,
      });
      const results = outcomes(workspace, report);
      const mine = results.find((r) => r.name === test.name && r.status !== 'skipped');
      const result = mine ??
        results.find((r) => r.name === '(file)') ?? {
          status: report ? 'skipped' : 'failed',
          error: report ? '' : `no report (timed out or crashed); see ${log}`,
        };
      const record = {
        file: path.join(workspace, test.file),
        name: test.name,
        status: result.status,
        error: result.error ?? '',
        ms: Math.round(performance.now() - t0),
      };
      if (values.out) fs.appendFileSync(values.out, `${JSON.stringify(record)}\n`);
      if (record.status === 'passed') passed++;
      else if (record.status === 'failed') failures.push(record);
      else skipped++;
      console.log(
        `${record.status.padEnd(7)} ${duration(record.ms).padStart(7)}  ${record.file} > ${test.name}`,
      );
    }
  }
}

console.log(
  `\n${passed} passed, ${failures.length} failed, ${skipped} skipped alone, in ${duration(performance.now() - started)}`,
);
for (const f of failures) console.log(`\n✗ ${f.file} > ${f.name}\n${f.error.replace(/^/gm, '    ')}`);
process.exitCode = failures.length ? 1 : 0;
