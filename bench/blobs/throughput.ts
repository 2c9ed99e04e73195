// A 30 MB file through the Hub API with blobs on disk and on S3 (OpenStack Swift's s3api on
// loopback), beside direct S3 PutObject/GetObject of the same bytes to the same Swift: the peer is
// what the bucket itself gives, so the ratio is Atrium's cost on top. Atrium runs as child processes
// (the built server). An upload is the Hub's LFS protocol as @huggingface/hub speaks it (batch, PUT,
// NDJSON commit) with the sha256 computed before the clock starts, as S3's PUT needs none.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { spawnServer, startSwift, tempDataDir } from '@atrium/tests/src/harness/index.js';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createRepo } from '@huggingface/hub';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';

const SIZE = Number(process.env.BLOB_MB ?? 30) * 1024 * 1024;
const RUNS = Number(process.env.RUNS ?? 5);
const MB = 1024 * 1024;

/** Fresh bytes per run: the same content twice would be deduplicated, not uploaded. */
const payload = (run: number) => {
  const bytes = randomBytes(SIZE);
  bytes.writeUInt32LE(run, 0);
  return bytes;
};

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return SIZE / MB / ((performance.now() - started) / 1000);
};

/** The Hub API's LFS upload: batch for a link, PUT the bytes to it, commit the pointer. */
async function lfsUpload(
  hub: { hubUrl: string; accessToken: string },
  repo: string,
  path: string,
  bytes: Buffer,
  oid: string,
) {
  const auth = { authorization: `Bearer ${hub.accessToken}` };
  const batch = await fetch(`${hub.hubUrl}/${repo}.git/info/lfs/objects/batch`, {
    method: 'POST',
    headers: {
      ...auth,
      'content-type': 'application/vnd.git-lfs+json',
      accept: 'application/vnd.git-lfs+json',
    },
    body: JSON.stringify({
      operation: 'upload',
      transfers: ['basic'],
      objects: [{ oid, size: bytes.length }],
    }),
  });
  const { objects } = (await batch.json()) as { objects: { actions?: { upload: { href: string } } }[] };
  const href = objects[0]?.actions?.upload.href;
  if (!href) throw new Error('no upload link: the object is already stored');
  const put = await fetch(href, { method: 'PUT', body: new Uint8Array(bytes) });
  if (!put.ok) throw new Error(`LFS PUT failed: ${put.status} ${await put.text()}`);
  const lines = [
    { key: 'header', value: { summary: `add ${path}` } },
    { key: 'lfsFile', value: { path, algo: 'sha256', oid, size: bytes.length } },
  ];
  const commit = await fetch(`${hub.hubUrl}/api/models/${repo}/commit/main`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/x-ndjson' },
    body: lines.map((l) => JSON.stringify(l)).join('\n'),
  });
  if (!commit.ok) throw new Error(`commit failed: ${commit.status} ${await commit.text()}`);
}

const drain = async (body: AsyncIterable<unknown> | null | undefined) => {
  let n = 0;
  for await (const c of body ?? []) n += (c as Uint8Array).length;
  if (n !== SIZE) throw new Error(`downloaded ${n} bytes, expected ${SIZE}`);
};

export async function benchThroughput() {
  const swift = await startSwift();
  const credentials = { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey };
  const s3Env = {
    ATRIUM_BLOB_STORE: 's3',
    ATRIUM_S3_ENDPOINT: swift.endpoint,
    ATRIUM_S3_BUCKET: 'atrium-bench',
    ATRIUM_S3_ACCESS_KEY_ID: swift.accessKeyId,
    ATRIUM_S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
  };
  const variants = [
    { name: 'Hub API, disk blobs', env: {} as Record<string, string> },
    { name: 'Hub API, S3 blobs (through Atrium)', env: { ...s3Env, ATRIUM_S3_PREFIX: 'proxied/' } },
    {
      name: 'Hub API, S3 blobs (presigned download)',
      env: { ...s3Env, ATRIUM_S3_PREFIX: 'presigned/', ATRIUM_S3_PRESIGNED_DOWNLOADS: '1' },
    },
  ];
  const dirs: string[] = [];
  const servers = [];
  try {
    for (const v of variants) {
      const dir = tempDataDir('atrium-bench-blobs');
      dirs.push(dir);
      const proc = await spawnServer(dir, { ...v.env, ATRIUM_SEED: '0' });
      const token = await signUp(proc.url, 'bench-owner');
      const hub = { hubUrl: proc.url, accessToken: token };
      const repo = { type: 'model' as const, name: 'bench-owner/blobs' };
      await createRepo({ ...hub, repo });
      servers.push({ ...v, proc, hub, repo, up: [] as number[], down: [] as number[] });
    }
    const s3 = new S3Client({
      endpoint: swift.endpoint,
      region: swift.region,
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const direct = { up: [] as number[], down: [] as number[] };
    // Interleaved runs: a slow moment of the machine falls on every variant alike.
    for (let run = 0; run < RUNS; run++) {
      for (const s of servers) {
        const bytes = payload(run);
        const path = `run-${run}.bin`;
        const oid = createHash('sha256').update(bytes).digest('hex');
        s.up.push(await timed(() => lfsUpload(s.hub, s.repo.name, path, bytes, oid)));
        const url = `${s.proc.url}/${s.repo.name}/resolve/main/${path}`;
        s.down.push(
          await timed(async () =>
            drain(
              (await fetch(url, { headers: { authorization: `Bearer ${s.hub.accessToken}` } }))
                .body as AsyncIterable<Uint8Array> | null,
            ),
          ),
        );
      }
      const bytes = payload(run);
      const Key = `direct/${createHash('sha256').update(bytes).digest('hex')}`;
      direct.up.push(
        await timed(() => s3.send(new PutObjectCommand({ Bucket: 'atrium-bench', Key, Body: bytes }))),
      );
      direct.down.push(
        await timed(async () =>
          drain(
            (await s3.send(new GetObjectCommand({ Bucket: 'atrium-bench', Key })))
              .Body as AsyncIterable<Uint8Array>,
          ),
        ),
      );
    }
    s3.destroy();
    const peerUp = median(direct.up);
    const peerDown = median(direct.down);
    const fmt = (x: number) => x.toFixed(1);
    printTable(
      `${SIZE / MB} MB file, median of ${RUNS} runs (MB/s; ratio to direct S3 on the same Swift)`,
      ['path', 'upload MB/s', 'upload ratio', 'download MB/s', 'download ratio'],
      [
        ...servers.map((s) => [
          s.name,
          fmt(median(s.up)),
          `${(median(s.up) / peerUp).toFixed(2)}×`,
          fmt(median(s.down)),
          `${(median(s.down) / peerDown).toFixed(2)}×`,
        ]),
        ['direct S3 PutObject / GetObject (peer)', fmt(peerUp), '1.00×', fmt(peerDown), '1.00×'],
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
