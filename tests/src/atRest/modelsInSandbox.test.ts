import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestServer } from '../harness/index.js';
import {
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from '../sandbox/sandboxTesting.js';

// The blob store's folders are owner-only now; sandboxes (a non-root user) read model files through
// the model cache's hard links under the read-only /models mount, which never walks those folders.
describe.runIf(hasDocker()).each(RUNTIMES)(
  'models in a sandbox with private blob folders (%s)',
  (runtime) => {
    let server: TestServer;
    let headers: Record<string, string>;

    beforeAll(async () => {
      ensureImage();
      server = await startSandboxServer(runtime, { seed: true, executionTimeoutS: 120 });
      headers = { authorization: `Bearer ${(await createUser(server.url)).token}` };
    }, 300_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('classifies with a seed model read from /models while the blob folders are 0700', async () => {
      const blobs = path.join(server.dataDir, 'blobs', 'sha256');
      expect(fs.statSync(blobs).mode & 0o777).toBe(0o700);
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
  },
);
