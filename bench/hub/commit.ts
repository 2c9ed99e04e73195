// One NDJSON commit of 1,000 small files through POST /api/models/{id}/commit/main (goal ≤ 2 s),
// beside the peer `git add -A && git commit` of the same 1,000 files in a fresh repository.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';
import { startInProcess } from './seed.js';

const FILES = 1000;
const RUNS = Number(process.env.RUNS ?? 5);

/** Small text files under 20 folders, as a project's sources would be. */
export const smallFiles = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    path: `src/dir-${i % 20}/file-${i}.txt`,
    content: randomBytes(768).toString('base64'),
  }));

/** Creates `owner/name` and times one NDJSON commit of `files` to it over HTTP, in ms. */
export async function timeNdjsonCommit(
  url: string,
  token: string,
  owner: string,
  name: string,
  files: { path: string; content: string }[],
): Promise<number> {
  const created = await fetch(`${url}/api/repos/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (created.status !== 200) throw new Error(`create failed ${created.status}`);
  const body = [
    JSON.stringify({ key: 'header', value: { summary: `${files.length} files` } }),
    ...files.map((f) =>
      JSON.stringify({
        key: 'file',
        value: { path: f.path, content: Buffer.from(f.content).toString('base64'), encoding: 'base64' },
      }),
    ),
  ].join('\n');
  const started = performance.now();
  const res = await fetch(`${url}/api/models/${owner}/${name}/commit/main`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body,
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`commit failed ${res.status}`);
  return ms;
}

export async function benchCommit() {
  const { atrium, dataDir } = await startInProcess();
  try {
    const token = await signUp(atrium.url, 'bench-owner');
    const atriumMs: number[] = [];
    const gitMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const files = smallFiles(FILES);
      atriumMs.push(await timeNdjsonCommit(atrium.url, token, 'bench-owner', `commit-${run}`, files));

      const repo = path.join(dataDir, `git-${run}`);
      fs.mkdirSync(repo);
      execFileSync('git', ['init', '-q', repo]);
      const gitStarted = performance.now();
      for (const f of files) {
        fs.mkdirSync(path.join(repo, path.dirname(f.path)), { recursive: true });
        fs.writeFileSync(path.join(repo, f.path), f.content);
      }
      execFileSync('git', ['-C', repo, 'add', '-A']);
      execFileSync('git', [
        '-C',
        repo,
        '-c',
        'user.name=b',
        '-c',
        'user.email=b@b',
        'commit',
        '-q',
        '-m',
        'files',
      ]);
      gitMs.push(performance.now() - gitStarted);
    }
    printTable(
      `Hub: one commit of ${FILES} small files (median of ${RUNS}, ms)`,
      ['how', 'median ms', 'min ms', 'max ms', 'ratio to peer'],
      [
        [
          'Atrium POST /api/models/{id}/commit/main (NDJSON over HTTP)',
          median(atriumMs),
          Math.min(...atriumMs),
          Math.max(...atriumMs),
          median(atriumMs) / median(gitMs),
        ],
        [
          'peer: write files + git add -A + git commit',
          median(gitMs),
          Math.min(...gitMs),
          Math.max(...gitMs),
          1,
        ],
      ],
    );
  } finally {
    await atrium.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
