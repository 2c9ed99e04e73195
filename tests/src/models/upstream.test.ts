import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { referenceGreedy, textGenerator } from '@atrium/server/models/index';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { pushAliceModel } from './pushModel.js';

// ATRIUM_UPSTREAM_HUB: a connected deployment pulls public models it does not have from a Hub-compatible
// upstream (here another real Atrium) into the sandboxes' model cache. Off by default.
let upstream: TestServer;
let connected: TestServer;
let isolated: TestServer;
let owner: TestUser;

beforeAll(async () => {
  upstream = await startTestServer({ seed: false });
  owner = await createUser(upstream.url);
  await pushAliceModel(upstream.url, owner, 'public-alice');
  await pushAliceModel(upstream.url, owner, 'private-alice', { private: true });
  connected = await startTestServer({ seed: false, upstreamHub: upstream.url });
  isolated = await startTestServer({ seed: false });
});

afterAll(async () => {
  await connected?.stop();
  await isolated?.stop();
  await upstream?.stop();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('upstream hub mirror', () => {
  it('pulls a public model from the upstream into the sandbox model cache, byte for byte', async () => {
    const id = `${owner.name}/public-alice`;
    const cached = await connected.services.modelCache.ensure(id);
    expect(cached.added).toBe(textGenerator.files().size + 1); // + .gitattributes
    const folder = path.join(connected.services.modelCache.root, owner.name, 'public-alice');
    for (const [file, bytes] of textGenerator.files()) {
      expect(sha(fs.readFileSync(path.join(folder, file))), file).toBe(sha(bytes));
    }
    const again = await connected.services.modelCache.ensure(id);
    expect(again.added).toBe(0);

    env.localModelPath = `${connected.services.modelCache.root}/`;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const generate = await pipeline('text-generation', id);
    const [out] = (await generate('Alice was', { max_new_tokens: 5 })) as { generated_text: string }[];
    expect(out?.generated_text).toBe(
      `Alice was${referenceGreedy('Alice was', 5).join('').replaceAll('Ġ', ' ')}`,
    );
    await generate.dispose();
  });

  it('never pulls private models, and is off unless configured', async () => {
    await expect(connected.services.modelCache.ensure(`${owner.name}/private-alice`)).rejects.toThrow(
      /is not on this Atrium instance/,
    );
    await expect(isolated.services.modelCache.ensure(`${owner.name}/public-alice`)).rejects.toThrow(
      /atrium push/,
    );
    expect(fs.existsSync(path.join(isolated.services.modelCache.root, owner.name))).toBe(false);
  });
});
