// Duplicating a repository of 1 GB in 10,000 files (goal ≤ 50 ms and within 2x of a one-file
// repository) through POST /api/models/{id}/duplicate, both measured in the same run; and, for
// scale, copying the same 10,000 blob files with `cp -r` (what a byte-copying fork would cost).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signUp } from '../lib/accounts.js';
import { median, percentile, printTable } from '../lib/stats.js';
import { seedRepo, startInProcess } from './seed.js';

const FILES = Number(process.env.FORK_FILES ?? 10_000);
const FILE_SIZE = Number(process.env.FORK_FILE_SIZE ?? 100 * 1024 + 5_000);
const RUNS = Number(process.env.RUNS ?? 15);

export async function benchDuplicate() {
  const { atrium, dataDir } = await startInProcess();
  try {
    const token = await signUp(atrium.url, 'bench-owner');
    await seedRepo(atrium, 'bench-owner', 'big-repo', FILES, FILE_SIZE);
    await seedRepo(atrium, 'bench-owner', 'one-file', 1, 1024);
    // Seeding blocked the event loop for seconds: let idle keep-alive sockets close before timing.
    await new Promise((r) => setTimeout(r, 500));
    let n = 0;
    const duplicate = async (source: string) => {
      const started = performance.now();
      const res = await fetch(`${atrium.url}/api/models/bench-owner/${source}/duplicate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ repository: `bench-owner/copy-${n++}` }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`duplicate failed: ${res.status}`);
      return performance.now() - started;
    };
    await duplicate('one-file');
    await duplicate('big-repo');
    const big: number[] = [];
    const one: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      big.push(await duplicate('big-repo'));
      one.push(await duplicate('one-file'));
    }
    // The copies are complete: every file of the last one resolves to the same blob.
    let copied = 0;
    let url: string | undefined =
      `${atrium.url}/api/models/bench-owner/copy-${n - 2}/tree/main?recursive=true&limit=5000`;
    while (url) {
      const page: Response = await fetch(url);
      copied += ((await page.json()) as { type: string }[]).filter((e) => e.type === 'file').length;
      url = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    const shards = path.join(dataDir, 'blobs', 'sha256');
    const target = path.join(dataDir, 'cp-copy');
    const cpStarted = performance.now();
    execFileSync('cp', ['-r', shards, target]);
    const cpMs = performance.now() - cpStarted;
    const bytes = (FILES * FILE_SIZE) / 1024 ** 3;
    printTable(
      `Hub: duplicating a repository (HTTP, median of ${RUNS}, ms)`,
      ['source repository', 'files in copy', 'median ms', 'p90 ms', 'ratio to one-file'],
      [
        [
          `${FILES} files, ${bytes.toFixed(2)} GB`,
          copied,
          median(big),
          percentile(big, 90),
          median(big) / median(one),
        ],
        ['1 file, 1 KB', 1 + 1, median(one), percentile(one, 90), 1],
        [`peer for scale: cp -r of the same ${FILES} blobs (one run)`, FILES, cpMs, cpMs, cpMs / median(one)],
      ],
    );
  } finally {
    await atrium.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
