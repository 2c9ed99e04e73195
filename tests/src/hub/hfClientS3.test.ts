import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRepo, deleteRepo, downloadFile, listFiles, uploadFiles } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasSwift,
  type SwiftS3,
  startSwift,
  startTestServer,
  swiftS3Options,
  type TestServer,
  type TestUser,
} from '../harness/index.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The Hub API with blobs on S3 (ATRIUM_BLOB_STORE=s3) against a real OpenStack Swift: the unmodified
 * @huggingface/hub client uploads a 30 MB file through LFS and downloads it whole and in ranges,
 * served through Atrium or, with presigned downloads, redirected to the bucket like the Hub's CDN.
 */
describe.skipIf(!hasSwift())('the Hub API with blobs on S3 (OpenStack Swift)', () => {
  let swift: SwiftS3;
  const servers: TestServer[] = [];
  const big = randomBytes(30 * 1024 * 1024);
  const bigSha = sha(big);

  const s3Server = async (prefix: string, presignDownloads: boolean) => {
    const blobStore = swiftS3Options(swift, 'atrium-hub', { prefix, presignDownloads });
    const server = await startTestServer({ blobStore, seed: false });
    servers.push(server);
    const user = await createUser(server.url);
    return { server, user, hub: { hubUrl: server.url, accessToken: user.token } };
  };

  /** Creates a model and uploads a config and the 30 MB file with the official client. */
  const uploadModel = async (hub: { hubUrl: string; accessToken: string }, user: TestUser) => {
    const repo = { type: 'model' as const, name: `${user.name}/big-model` };
    await createRepo({ ...hub, repo });
    await uploadFiles({
      ...hub,
      repo,
      files: [
        { path: 'config.json', content: new Blob([JSON.stringify({ hidden_size: 8 })]) },
        { path: 'weights/model.bin', content: new Blob([big]) },
      ],
    });
    return repo;
  };

  beforeAll(async () => {
    swift = await startSwift();
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await swift?.stop();
  });

  it('uploads a 30 MB file through LFS into the bucket and serves it whole and in ranges', async () => {
    const { server, user, hub } = await s3Server('served/', false);
    const repo = await uploadModel(hub, user);

    const files = [];
    for await (const f of listFiles({ ...hub, repo, recursive: true })) files.push(f);
    expect(files.find((f) => f.path === 'weights/model.bin')?.lfs?.oid).toBe(bigSha);
    // The bytes are in the bucket, not in the data directory.
    expect(await server.services.hub.blobs.stat(bigSha)).toEqual({ size: big.length });
    expect(fs.existsSync(path.join(server.dataDir, 'blobs'))).toBe(false);

    const blob = await downloadFile({ ...hub, repo, path: 'weights/model.bin' });
    expect(blob?.size).toBe(big.length);
    const slice = Buffer.from(await blob!.slice(12_345_678, 12_345_778).arrayBuffer());
    expect(slice.equals(big.subarray(12_345_678, 12_345_778))).toBe(true);
    expect(sha(Buffer.from(await blob!.arrayBuffer()))).toBe(bigSha);

    const ranged = await fetch(`${server.url}/${repo.name}/resolve/main/weights/model.bin`, {
      headers: { ...bearer(user.token), range: `bytes=${big.length - 10}-` },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(
      `bytes ${big.length - 10}-${big.length - 1}/${big.length}`,
    );
    expect(ranged.headers.get('etag')).toBe(`"${bigSha}"`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(big.subarray(big.length - 10))).toBe(true);
    const config = await downloadFile({ ...hub, repo, path: 'config.json' });
    expect(await config?.text()).toBe('{"hidden_size":8}');

    // Sandboxes get models from the host's model cache: with S3 the blobs are streamed into it.
    const cached = await server.services.modelCache.ensure(repo.name);
    const cachedFile = path.join(server.services.modelCache.folderPath(cached.folder), 'weights/model.bin');
    expect(sha(fs.readFileSync(cachedFile))).toBe(bigSha);

    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.checks.blobs).toMatchObject({ ok: true, location: 's3://atrium-hub/served/' });
  }, 180_000);

  it('redirects LFS downloads to a presigned bucket link that the client follows, ranges included', async () => {
    const { server, user, hub } = await s3Server('presigned/', true);
    const repo = await uploadModel(hub, user);

    const url = `${server.url}/${repo.name}/resolve/main/weights/model.bin`;
    const redirect = await fetch(url, { headers: bearer(user.token), redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toContain(`${swift.endpoint}/atrium-hub/presigned/sha256/`);
    expect(redirect.headers.get('x-linked-size')).toBe(String(big.length));
    expect(redirect.headers.get('etag')).toBe(`"${bigSha}"`);

    const blob = await downloadFile({ ...hub, repo, path: 'weights/model.bin' });
    expect(sha(Buffer.from(await blob!.arrayBuffer()))).toBe(bigSha);
    const ranged = await fetch(url, { headers: { ...bearer(user.token), range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(big.subarray(100, 200))).toBe(true);
    // Small files never leave Atrium.
    expect(
      (await fetch(`${server.url}/${repo.name}/resolve/main/config.json`, { redirect: 'manual' })).status,
    ).toBe(200);
  }, 180_000);

  it('garbage collection deletes a deleted repository’s blobs from the bucket', async () => {
    const { server, user, hub } = await s3Server('gc/', false);
    const repo = { type: 'model' as const, name: `${user.name}/doomed` };
    await createRepo({ ...hub, repo });
    const only = randomBytes(64 * 1024);
    await uploadFiles({ ...hub, repo, files: [{ path: 'weights.bin', content: new Blob([only]) }] });
    expect(await server.services.hub.blobs.stat(sha(only))).toEqual({ size: only.length });
    await deleteRepo({ ...hub, repo });
    const gc = await fetch(`${server.url}/api/admin/hub/gc?graceSeconds=0`, {
      method: 'POST',
      headers: bearer(user.token), // the first user is the instance admin
    });
    expect(gc.status).toBe(200);
    expect((await gc.json()).blobs).toBeGreaterThanOrEqual(1);
    expect(await server.services.hub.blobs.stat(sha(only))).toBeUndefined();
  }, 180_000);
});
