import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasDocker,
  hasSwift,
  type SwiftS3,
  startSwift,
  swiftS3Options,
  type TestServer,
} from '../harness/index.js';
import {
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from '../sandbox/sandboxTesting.js';

// With blobs in an S3 bucket there is no blob file to hard-link: the model cache streams each blob
// from the bucket into its folder, and the sandbox's read-only /models view links from there as usual.
const runs = hasDocker() && hasSwift();
let swift: SwiftS3;
beforeAll(async () => {
  if (runs) swift = await startSwift();
}, 120_000);
afterAll(async () => {
  await swift?.stop();
});

describe.runIf(runs).each(RUNTIMES)('models in a sandbox with blobs on S3 (%s)', (runtime) => {
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    ensureImage();
    // The file's one Swift; each runtime has its own bucket in it.
    const blobStore = swiftS3Options(swift, `atrium-models-${runtime}`);
    server = await startSandboxServer(runtime, { seed: true, executionTimeoutS: 120, blobStore });
    headers = { authorization: `Bearer ${(await createUser(server.url)).token}` };
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('classifies with a seed model whose files were published to the bucket', async () => {
    // The seed's model files went to S3: the data directory holds no blob folder at all.
    expect(fs.existsSync(path.join(server.dataDir, 'blobs'))).toBe(false);
    const kernel = await startKernel(server.url, headers);
    const result = await execute(
      server.url,
      headers,
      kernel.id,
      `import { pipeline } from '@huggingface/transformers';
       const classify = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');
       console.log(JSON.stringify(await classify('I love this wonderful film!')));`,
    );
    expect(result.error).toBeUndefined();
    const [top] = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]') as { label: string }[];
    expect(top?.label).toBe('POSITIVE');
  }, 300_000);
});
