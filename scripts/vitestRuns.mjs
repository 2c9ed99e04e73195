// Running vitest suites from scripts and reading what failed from its JSON reporter: shared by
// each-test-alone.mjs and flake-check.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';

/** Workspaces whose `test` script is vitest, in the order turbo runs them (unit suites first). */
export const VITEST_WORKSPACES = ['protocol', 'sandbox', 'server', 'client', 'tests'];

const vitestBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

/** Groups file arguments (paths from the repository root or the current directory) by workspace. */
export function filesByWorkspace(files) {
  const groups = new Map();
  for (const file of files) {
    const absolute = path.resolve(file);
    const relative = path.relative(root, absolute);
    const workspace = VITEST_WORKSPACES.find((w) => relative.startsWith(`${w}${path.sep}`));
    if (!workspace || !fs.existsSync(absolute))
      throw new Error(`not a test file of a vitest workspace: ${file}`);
    if (!groups.has(workspace)) groups.set(workspace, []);
    groups.get(workspace).push(path.relative(path.join(root, workspace), absolute));
  }
  return groups;
}

/** Every test vitest would run in these files of a workspace: [{file, name}] with ' > ' between titles. */
export async function listTests(workspace, files) {
  const { code, stdout, stderr } = await vitest(workspace, ['list', ...files, '--json'], { capture: true });
  if (code !== 0) throw new Error(`vitest list failed in ${workspace}: ${stderr || stdout}`);
  return JSON.parse(stdout.slice(stdout.indexOf('['))).map((t) => ({
    file: path.relative(path.join(root, workspace), t.file),
    name: t.name,
  }));
}

/** vitest's -t matches the titles joined by spaces: an exact, escaped pattern for one test. */
export const exactNamePattern = (name) =>
  `^${name
    .split(' > ')
    .join(' ')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/**
 * Runs vitest in a workspace with the JSON reporter; resolves with the exit code and the parsed report
 * (null when vitest wrote none). Console output goes to `log` when given.
 */
export async function runWithReport(workspace, args, { log, timeoutMs } = {}) {
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-vitest-')), 'report.json');
  const { code } = await vitest(
    workspace,
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
    { log, timeoutMs },
  );
  let report = null;
  try {
    report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  } catch {}
  fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
  return { code, report };
}

/**
 * Outcomes in a JSON report: one entry per test (passed, failed, skipped…), plus one per file that failed
 * outside any test (an import error, a failing beforeAll), named '(file)'.
 */
export function outcomes(workspace, report) {
  const results = [];
  for (const file of report?.testResults ?? []) {
    const relative = path.join(workspace, path.relative(path.join(root, workspace), file.name));
    for (const test of file.assertionResults) {
      results.push({
        file: relative,
        name: [...test.ancestorTitles, test.title].join(' > '),
        status: test.status,
        error: firstLines(test.failureMessages.join('\n')),
        ms: test.duration ?? 0,
      });
    }
    const anyFailed = file.assertionResults.some((t) => t.status === 'failed');
    if (file.status === 'failed' && !anyFailed)
      results.push({
        file: relative,
        name: '(file)',
        status: 'failed',
        error: firstLines(file.message),
        ms: 0,
      });
  }
  return results;
}

const firstLines = (text, lines = 8) =>
  String(text ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in vitest's messages
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(0, lines)
    .join('\n')
    .trim();

function vitest(workspace, args, { capture = false, log, timeoutMs } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitestBin, ...args], {
      cwd: path.join(root, workspace),
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const sink = log ? fs.createWriteStream(log, { flags: 'a' }) : null;
    child.stdout.on('data', (d) => {
      if (capture) stdout += d;
      sink?.write(d);
    });
    child.stderr.on('data', (d) => {
      if (capture) stderr += d;
      sink?.write(d);
    });
    // A hung run is ended with its whole process group (servers, browsers it started).
    const timer = timeoutMs
      ? setTimeout(() => {
          sink?.write(`\n[killed after ${timeoutMs} ms]\n`);
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
        }, timeoutMs)
      : null;
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      sink?.end();
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr });
    });
  });
}

/** "3m 05s" */
export const duration = (ms) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};
