import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BlobRejected, BlobStore } from '@atrium/server/hub/blobs/BlobStore';
import { DiskBlobStore } from '@atrium/server/hub/blobs/DiskBlobStore';
import { S3BlobStore, type S3BlobStoreOptions } from '@atrium/server/hub/blobs/S3BlobStore';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasSwift,
  type SwiftS3,
  startSwift,
  swiftS3Options,
  tempDataDir,
  waitFor,
} from '../harness/index.js';

/**
 * One contract for every BlobStore (DESIGN.md §5.7): the disk store and the S3 store against a real
 * OpenStack Swift (s3api) on loopback. Each test opens its own store (own folder or key prefix).
 */
interface Fixture {
  open: (extra?: Partial<S3BlobStoreOptions>) => Promise<BlobStore>;
  /** Temporary upload objects or files the store holds right now (none may survive a refusal). */
  leftovers: (store: BlobStore) => Promise<string[]>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const collect = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
/** A source that sends `bytes` in 64 KiB chunks. */
const source = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
    })(),
  );

let swift: SwiftS3 | undefined;
const disks: string[] = [];
const swiftUp = hasSwift();

beforeAll(async () => {
  if (swiftUp) swift = await startSwift();
}, 120_000);
afterAll(async () => {
  await swift?.stop();
  for (const dir of disks) fs.rmSync(dir, { recursive: true, force: true });
});

const diskFixture: Fixture = {
  open: async () => {
    const dir = tempDataDir('atrium-blobs');
    disks.push(dir);
    return new DiskBlobStore(dir);
  },
  leftovers: async (store) => fs.readdirSync(path.join((store as DiskBlobStore).root, 'tmp')),
};

const s3Fixture: Fixture = {
  open: async (extra = {}) =>
    S3BlobStore.open({
      ...swiftS3Options(swift!, 'atrium-contract', { prefix: `run-${randomBytes(6).toString('hex')}/` }),
      ...extra,
    }),
  leftovers: async (store) => {
    const { options } = store as S3BlobStore;
    const s3 = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: true,
    });
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: options.bucket, Prefix: `${options.prefix}tmp/` }),
    );
    s3.destroy();
    return (page.Contents ?? []).map((o) => o.Key ?? '');
  },
};

describe.each([
  { name: 'DiskBlobStore', fixture: diskFixture, run: true },
  { name: 'S3BlobStore on OpenStack Swift', fixture: s3Fixture, run: swiftUp },
])('$name keeps the BlobStore contract', ({ fixture, run }) => {
  const test = run ? it : it.skip;

  test('stores a buffer under its sha256 and reads it back whole, in a range, and by size', async () => {
    const store = await fixture.open();
    const bytes = randomBytes(100_000);
    const stored = await store.put(bytes);
    expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.put(bytes)).toEqual(stored);
    expect(await store.stat(stored.sha256)).toEqual({ size: bytes.length });
    expect(await store.claim(stored.sha256)).toEqual({ size: bytes.length });
    expect((await store.readBuffer(stored.sha256)).equals(bytes)).toBe(true);
    const part = await collect(await store.read(stored.sha256, { start: 10, end: 19_999 }));
    expect(part.equals(bytes.subarray(10, 20_000))).toBe(true);
    expect(await store.stat(sha(Buffer.from('never stored')))).toBeUndefined();
    expect(await store.claim(sha(Buffer.from('never stored')))).toBeUndefined();
    await expect(store.read(sha(Buffer.from('never stored')))).rejects.toThrow();
    store.close();
  });

  test('streams a 20 MB blob in, verified against its declared sha256 and size, and ranges it out', async () => {
    const store = await fixture.open();
    const bytes = randomBytes(20 * 1024 * 1024);
    const stored = await store.putStream(source(bytes), { sha256: sha(bytes), size: bytes.length });
    expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(await store.stat(stored.sha256)).toEqual({ size: bytes.length });
    const tail = await collect(
      await store.read(stored.sha256, { start: bytes.length - 1000, end: bytes.length - 1 }),
    );
    expect(tail.equals(bytes.subarray(bytes.length - 1000))).toBe(true);
    expect(sha(await collect(await store.read(stored.sha256)))).toBe(stored.sha256);
    expect(await fixture.leftovers(store)).toEqual([]);
    store.close();
  });

  test('refuses a stream whose sha256, size or limit is wrong, or that breaks off, and keeps nothing of it', async () => {
    const store = await fixture.open();
    const bytes = randomBytes(300_000);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'stored',
        (err) => (err as BlobRejected).reason,
      );
    expect(await refusal(store.putStream(source(bytes), { sha256: sha(Buffer.from('other')) }))).toBe(
      'sha_mismatch',
    );
    expect(await refusal(store.putStream(source(bytes), { size: bytes.length - 1 }))).toBe('size_mismatch');
    expect(await refusal(store.putStream(source(bytes), { size: bytes.length + 1 }))).toBe('size_mismatch');
    expect(await refusal(store.putStream(source(bytes), { maxSize: 1000 }))).toBe('too_large');
    const broken = new Readable({ read() {} });
    broken.push(bytes.subarray(0, 70_000));
    setImmediate(() => broken.destroy(new Error('aborted')));
    expect(await refusal(store.putStream(broken, { size: bytes.length }))).toBe('aborted');
    expect(await store.stat(sha(bytes))).toBeUndefined();
    expect(await fixture.leftovers(store)).toEqual([]);
    store.close();
  });

  test('garbage collection deletes old unreferenced blobs and spares referenced, young and freshly claimed ones', async () => {
    const store = await fixture.open();
    const [kept, claimed, orphan] = await Promise.all(
      ['kept', 'claimed', 'orphan'].map((s) =>
        store.put(Buffer.from(`${s} ${randomBytes(8).toString('hex')}`)),
      ),
    );
    const started = Date.now();
    // S3 dates have whole seconds: let the blobs age well past a 2 s grace period.
    await waitFor(() => Date.now() - started > 4000, {
      what: 'the blobs to age',
      timeout: 10_000,
      interval: 100,
    });
    await store.claim(claimed!.sha256);
    const young = await store.put(Buffer.from(`young ${randomBytes(8).toString('hex')}`));
    const swept = await store.sweep(new Set([kept!.sha256]), 2000);
    expect(swept.blobs).toBe(1);
    expect(swept.bytes).toBe(orphan!.size);
    expect(await store.stat(orphan!.sha256)).toBeUndefined();
    for (const b of [kept, claimed, young]) expect(await store.stat(b!.sha256)).toEqual({ size: b!.size });
    // With no grace at all, everything unreferenced goes.
    expect((await store.sweep(new Set([kept!.sha256]), -1000)).blobs).toBe(2);
    expect(await store.stat(kept!.sha256)).toEqual({ size: kept!.size });
    store.close();
  });

  test('reports itself healthy while it takes writes', async () => {
    const store = await fixture.open();
    const health = await store.check();
    expect(health.ok).toBe(true);
    expect(health.location).toBeTruthy();
    store.close();
  });
});

describe.skipIf(!swiftUp)('S3BlobStore beyond the contract', () => {
  it('keeps no local file, so the model cache copies through read', async () => {
    const store = await s3Fixture.open();
    const stored = await store.put(Buffer.from('model bytes'));
    expect(store.localFile(stored.sha256)).toBeUndefined();
    store.close();
  });

  it('promotes an upload larger than one copy request in parts', async () => {
    const store = await s3Fixture.open({ copyPartBytes: 5 * 1024 * 1024 });
    const bytes = randomBytes(12 * 1024 * 1024);
    const stored = await store.putStream(source(bytes), { sha256: sha(bytes), size: bytes.length });
    expect(sha(await store.readBuffer(stored.sha256))).toBe(sha(bytes));
    store.close();
  });

  it('hands out a presigned GET that serves the blob and its ranges without credentials', async () => {
    const store = await s3Fixture.open({ presignDownloads: true });
    const bytes = randomBytes(50_000);
    const stored = await store.put(bytes);
    const url = await store.downloadUrl(stored.sha256, 'model.bin');
    expect(url).toMatch(/X-Amz-Signature=/);
    const whole = await fetch(url!);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const ranged = await fetch(url!, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const forged = await fetch(
      url!.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`),
    );
    expect(forged.status).toBe(403);
    store.close();
  });
});

describe('DiskBlobStore beyond the contract', () => {
  it('names the file holding each blob, for the model cache to hard-link', async () => {
    const store = await diskFixture.open();
    const stored = await store.put(Buffer.from('model bytes'));
    expect(fs.readFileSync(store.localFile(stored.sha256)!, 'utf8')).toBe('model bytes');
    expect(await store.downloadUrl(stored.sha256, 'x')).toBeUndefined();
  });
});
