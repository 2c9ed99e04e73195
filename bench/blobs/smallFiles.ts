// One NDJSON commit of 1,000 small files through the Hub API with blobs on disk and on S3 (Swift's
// s3api on loopback), beside 1,000 direct S3 PutObject requests of the same files, 16 at a time (the
// concurrency Atrium's commit stores with), to the same Swift: the peer is what the bucket gives.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { spawnServer, startSwift, tempDataDir } from '@atrium/tests/src/harness/index.js';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';

const FILES = Number(process.env.COMMIT_FILES ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);
const IN_FLIGHT = 16;

const files = () =>
  Array.from({ length: FILES }, (_, i) => Buffer.from(`file ${i} ${randomBytes(16).toString('hex')}\n`));

export async function benchSmallFiles() {
  const swift = await startSwift();
  const s3Env = {
    ATRIUM_BLOB_STORE: 's3',
    ATRIUM_S3_ENDPOINT: swift.endpoint,
    ATRIUM_S3_BUCKET: 'atrium-bench-small',
    ATRIUM_S3_ACCESS_KEY_ID: swift.accessKeyId,
    ATRIUM_S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
  };
  const variants = [
    { name: 'Hub API commit, disk blobs', env: {} as Record<string, string> },
    { name: 'Hub API commit, S3 blobs', env: s3Env },
  ];
  const dirs: string[] = [];
  const servers = [];
  try {
    for (const v of variants) {
      const dir = tempDataDir('atrium-bench-small');
      dirs.push(dir);
      const proc = await spawnServer(dir, { ...v.env, ATRIUM_SEED: '0' });
      const token = await signUp(proc.url, 'bench-owner');
      const auth = { authorization: `Bearer ${token}` };
      await fetch(`${proc.url}/api/repos/create`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'many' }),
      });
      servers.push({ ...v, proc, auth, ms: [] as number[] });
    }
    const s3 = new S3Client({
      endpoint: swift.endpoint,
      region: swift.region,
      credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const direct: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const s of servers) {
        const lines = [
          { key: 'header', value: { summary: `run ${run}` } },
          ...files().map((content, i) => ({
            key: 'file',
            value: { path: `run-${run}/${i}.txt`, content: content.toString('base64'), encoding: 'base64' },
          })),
        ];
        const started = performance.now();
        const res = await fetch(`${s.proc.url}/api/models/bench-owner/many/commit/main`, {
          method: 'POST',
          headers: { ...s.auth, 'content-type': 'application/x-ndjson' },
          body: lines.map((l) => JSON.stringify(l)).join('\n'),
        });
        if (!res.ok) throw new Error(`${s.name}: ${res.status} ${await res.text()}`);
        s.ms.push(performance.now() - started);
      }
      const queue = files().map((Body, i) => ({ Body, Key: `direct/${run}/${i}` }));
      const started = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let next = queue.shift(); next; next = queue.shift())
            await s3.send(new PutObjectCommand({ Bucket: 'atrium-bench-small', ...next }));
        }),
      );
      direct.push(performance.now() - started);
    }
    s3.destroy();
    const peer = median(direct);
    printTable(
      `One commit of ${FILES} small files, median of ${RUNS} runs (ms; ratio to direct S3 PUTs)`,
      ['path', 'median ms', 'ratio to peer'],
      [
        ...servers.map((s) => [s.name, Math.round(median(s.ms)), `${(median(s.ms) / peer).toFixed(2)}×`]),
        [`direct S3 PutObject × ${FILES}, ${IN_FLIGHT} at a time (peer)`, Math.round(peer), '1.00×'],
      ],
    );
  } finally {
    for (const s of servers) {
      s.proc.child.kill('SIGTERM');
      await s.proc.exited;
    }
    await swift.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}
