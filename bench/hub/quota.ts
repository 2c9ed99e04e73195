// The storage quota check (issue 12 part 9): every commit asks what its owner's repositories hold (the
// distinct blobs their branches' whole history names). How long that question takes as an account's
// history grows, beside the one-file API commit it guards (which includes it).
import { createHash, randomBytes } from 'node:crypto';
import { createRepo } from '@atrium/server/hub/commands/createRepo';
import { gitBlobOid } from '@atrium/server/hub/gitOid';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';
import { startInProcess } from './seed.js';

const RUNS = Number(process.env.RUNS ?? 15);
/** [repositories, commits each, files added per commit]: history rows grow as commits × tree size. */
const SHAPES: [number, number, number][] = [
  [1, 10, 10],
  [5, 100, 10],
  [10, 100, 10],
];

export async function benchQuota() {
  const rows: (string | number)[][] = [];
  for (const [repos, commits, perCommit] of SHAPES) {
    const { atrium } = await startInProcess();
    const { services } = atrium;
    const name = `quota-${repos}-${commits}`;
    const token = await signUp(atrium.url, name);
    const actor = (await services.accounts.findByName(name))!;
    let entries = 0;
    for (let r = 0; r < repos; r++) {
      const repo = await createRepo(services, actor, { type: 'model', name: `r${r}` });
      for (let c = 0; c < commits; c++) {
        // Blob ids only: the question reads the file lists, never the bytes.
        const put = Array.from({ length: perCommit }, (_, f) => {
          const sha256 = createHash('sha256').update(`${r}/${c}/${f}`).digest('hex');
          return {
            path: `c${c}/f${f}.txt`,
            sha256,
            size: 1000,
            gitOid: gitBlobOid(Buffer.from(sha256)),
            lfs: false,
          };
        });
        await services.hub.repos.commit({
          repoId: repo.id,
          branch: 'main',
          authorId: actor.id,
          authorName: actor.name,
          title: 'c',
          message: '',
          createdAt: new Date().toISOString(),
          changes: { put, deleteFiles: [], deleteFolders: [] },
        });
        entries += (c + 1) * perCommit + 1;
      }
    }
    // Seeding kept the client's pooled connection idle past the server's keep-alive: let it go first.
    await fetch(`${atrium.url}/api/health`).catch(() => undefined);
    const ask: number[] = [];
    const commit: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const adding = [{ sha256: randomBytes(32).toString('hex'), size: 10 }];
      let t = performance.now();
      await services.hub.repos.storageUsage(actor.id, adding);
      ask.push(performance.now() - t);
      const line = (key: string, value: unknown) => JSON.stringify({ key, value });
      t = performance.now();
      const res = await fetch(`${atrium.url}/api/models/${name}/r0/commit/main`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        body: [
          line('header', { summary: 'one file' }),
          line('file', {
            path: `extra-${i}.txt`,
            content: randomBytes(8).toString('base64'),
            encoding: 'base64',
          }),
        ].join('\n'),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`commit: ${res.status}`);
      commit.push(performance.now() - t);
    }
    rows.push([
      `${repos} × ${commits} commits (${entries.toLocaleString('en')} file rows)`,
      median(ask),
      median(commit),
    ]);
    await atrium.close();
  }
  printTable(
    `The storage quota question as an account's history grows, median of ${RUNS} (ms)`,
    ['history', 'storageUsage (the check)', 'peer: one-file API commit, check included'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchQuota();
