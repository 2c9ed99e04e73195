import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasSwift,
  type SwiftS3,
  startSwift,
  startTestServer,
  swiftS3Options,
  type TestServer,
  uniqueName,
} from '../harness/index.js';
import { pushAliceModel } from './pushModel.js';

// With blobs in S3 the model cache streams each file from the bucket: what it streams must be what
// the repository recorded, or a damaged object would stay cached (and served to sandboxes) for good.
describe.runIf(hasSwift())('the model cache with blobs on S3', () => {
  let swift: SwiftS3;
  let server: TestServer;
  let s3: S3Client;
  const bucket = 'atrium-model-cache';

  beforeAll(async () => {
    swift = await startSwift();
    server = await startTestServer({ seed: false, blobStore: swiftS3Options(swift, bucket) });
    s3 = new S3Client({
      endpoint: swift.endpoint,
      region: swift.region,
      credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
      forcePathStyle: true,
    });
  }, 180_000);
  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    await swift?.stop();
  });

  it('refuses a file the bucket returns truncated, caching nothing, and caches the model once the object is whole', async () => {
    const user = await createUser(server.url);
    const id = await pushAliceModel(server.url, user, uniqueName('truncated'));
    const [owner = '', name = ''] = id.split('/');
    const head = (await server.services.hub.repos.find('model', owner, name))?.head ?? '';
    const [largest] = (await server.services.hub.repos.entries(head, '')).sort((a, b) => b.size - a.size);
    if (!largest) throw new Error('the model has no files');
    const Key = `sha256/${largest.sha256.slice(0, 2)}/${largest.sha256.slice(2)}`;
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const whole = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
    expect(whole.length).toBe(largest.size);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: whole.subarray(0, whole.length - 1) }));
    const cache = server.services.modelCache;
    await expect(cache.ensure(id)).rejects.toThrow(
      `${largest.path} as read from the blob store is not what was stored`,
    );
    expect(fs.existsSync(cache.folderPath(head))).toBe(false);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: whole }));
    const cached = await cache.ensure(id);
    expect(fs.statSync(path.join(cache.folderPath(cached.folder), largest.path)).size).toBe(largest.size);
  });
});
