import type { KernelMessage } from '@atrium/protocol';
import { textGenerator } from '@atrium/server/models/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import {
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from '../sandbox/sandboxTesting.js';
import { api, callApp, commitFiles, readLog, waitForStage } from '../spaces/runtimeTesting.js';
import { pushAliceModel } from './pushModel.js';

// A model id known only at run time: the sandbox (no network) asks the server over its control channel,
// the server caches the model into the read-only /models, the code goes on; meanwhile the cell shows the
// fetch as a display updated in place, and a Space's run log shows it.

/** A cell that builds the id from parts, so nothing could have found it in the code beforehand. */
const generateWith = (owner: string, name: string) => `
  import { pipeline, AutoTokenizer } from '@huggingface/transformers';
  const id = [${JSON.stringify(owner)}, ${JSON.stringify(name)}].join('/');
  // Two loads at once ask the server once.
  const [generate] = await Promise.all([pipeline('text-generation', id), AutoTokenizer.from_pretrained(id)]);
  const [out] = await generate('Alice was', { max_new_tokens: 6 });
  console.log(out.generated_text);
  console.log(require('node:fs').readdirSync('/models/' + ${JSON.stringify(owner)}).join(','));
`;

type Display = { type: string; text: string; html: string; displayId: string | undefined };
const displaysOf = (messages: KernelMessage[]): Display[] =>
  messages
    .filter((m) => m.header.msg_type === 'display_data' || m.header.msg_type === 'update_display_data')
    .map((m) => {
      const content = m.content as { data: Record<string, string>; transient?: { display_id?: string } };
      return {
        type: m.header.msg_type,
        text: content.data['text/plain'] ?? '',
        html: content.data['text/html'] ?? '',
        displayId: content.transient?.display_id,
      };
    });

describe.skipIf(!hasDocker())('models fetched at run time', () => {
  beforeAll(() => {
    ensureImage();
  });

  describe.each(RUNTIMES)('in a %s kernel', (runtime) => {
    let server: TestServer;
    let user: TestUser;
    let headers: Record<string, string>;
    let kernelId: string;

    beforeAll(async () => {
      server = await startSandboxServer(runtime, { executionTimeoutS: 120 });
      user = await createUser(server.url);
      headers = { authorization: `Bearer ${user.token}` };
      kernelId = (await startKernel(server.url, headers)).id;
      // Pushed after the sandbox started: the model appears in its /models while it runs.
      await pushAliceModel(server.url, user, 'alice-runtime');
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('fetches a model whose id the cell assembles, showing the fetch in place', async () => {
      const result = await execute(server.url, headers, kernelId, generateWith(user.name, 'alice-runtime'));
      expect(result.error).toBeUndefined();
      expect(result.stdout).toContain('Alice was to get very tired of the');
      expect(result.stdout).toContain('alice-runtime');
      const shown = displaysOf(result.messages);
      expect(shown[0]?.type).toBe('display_data');
      expect(shown[0]?.text).toMatch(
        /^Fetching model .+\/alice-runtime from this Atrium hub: \d+\/\d+ files/,
      );
      expect(shown[0]?.html).toContain('<progress');
      const last = shown.at(-1);
      expect(last?.type).toBe('update_display_data');
      expect(last?.text).toMatch(
        new RegExp(
          `^Model ${user.name}/alice-runtime ready from this Atrium hub: ${textGenerator.files().size + 1} files, `,
        ),
      );
      // One fetch for the two concurrent loads: every update is of the same display.
      expect(new Set(shown.map((d) => d.displayId)).size).toBe(1);
    });

    it('uses the cached model afterwards without asking again', async () => {
      // The first run may fetch it (alone, this test is the first to ask); the second must not.
      await execute(server.url, headers, kernelId, generateWith(user.name, 'alice-runtime'));
      const result = await execute(server.url, headers, kernelId, generateWith(user.name, 'alice-runtime'));
      expect(result.stdout).toContain('Alice was to get very tired of the');
      expect(displaysOf(result.messages)).toEqual([]);
    });

    it('fails naming a model Atrium does not have, and keeps the kernel', async () => {
      const result = await execute(server.url, headers, kernelId, generateWith(user.name, 'never-pushed'));
      expect(result.error?.evalue).toContain(
        `Model "${user.name}/never-pushed" is not on this Atrium instance`,
      );
      expect(result.error?.evalue).toContain('atrium push');
      const after = await execute(server.url, headers, kernelId, '1 + 1');
      expect(after.result?.['text/plain']).toBe('2');
    });

    it('answers a forged request from cell code with an error, not a crash', async () => {
      const result = await execute(
        server.url,
        headers,
        kernelId,
        `process.send({ t: 'model', requestId: 'x', modelId: '../../etc' }); process.send({ t: 'model', requestId: 'y', modelId: 42 }); 'sent'`,
      );
      expect(result.result?.['text/plain']).toBe("'sent'");
      const after = await execute(server.url, headers, kernelId, '2 + 2');
      expect(after.result?.['text/plain']).toBe('4');
    });
  });

  describe('through the upstream mirror', () => {
    let upstream: TestServer;
    let connected: TestServer;
    let owner: TestUser;
    let user: TestUser;

    beforeAll(async () => {
      upstream = await startTestServer({ seed: false });
      owner = await createUser(upstream.url);
      // 24 MB more than the model needs, so the pull takes a while and reports progress.
      await pushAliceModel(upstream.url, owner, 'alice-upstream', {
        extra: { 'extra/padding.bin': new Uint8Array(24 << 20) },
      });
      connected = await startSandboxServer('runc', { executionTimeoutS: 120, upstreamHub: upstream.url });
      user = await createUser(connected.url);
    }, 120_000);

    afterAll(async () => {
      await connected?.stop();
      await upstream?.stop();
    });

    it('pulls a model this instance does not have, with progress under the cell', async () => {
      const headers = { authorization: `Bearer ${user.token}` };
      const kernel = await startKernel(connected.url, headers);
      const result = await execute(
        connected.url,
        headers,
        kernel.id,
        generateWith(owner.name, 'alice-upstream'),
      );
      expect(result.error).toBeUndefined();
      expect(result.stdout).toContain('Alice was to get very tired of the');
      const shown = displaysOf(result.messages);
      expect(shown[0]?.text).toMatch(/from the upstream hub: \d+\/\d+ files, .* of 2\d\.\d MB$/);
      expect(shown.at(-1)?.text).toMatch(
        /^Model .+\/alice-upstream ready from the upstream hub: \d+ files, 2\d\.\d MB in /,
      );
    });
  });

  describe('in a Space app', () => {
    let server: TestServer;
    let alice: TestUser;

    beforeAll(async () => {
      server = await startSandboxServer('runc', { executionTimeoutS: 120 });
      alice = await createUser(server.url);
      await pushAliceModel(server.url, alice, 'alice-space');
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('fetches a model the card does not declare when the app asks for it, logging it', async () => {
      const made = await api(server.url, '/api/spaces/from-template', {
        body: { template: 'blank-space', name: 'dynamic-model' },
        user: alice,
      });
      expect(made.status).toBe(201);
      const id = `${alice.name}/dynamic-model`;
      await commitFiles(server.url, id, alice, {
        'README.md': '---\ntitle: Dynamic model\nsdk: atrium\napp_file: app.ts\n---\n',
        'app.ts': `import { demo, Textbox } from '@atrium/sandbox/sdk';
import { pipeline } from '@huggingface/transformers';
const generate = await pipeline('text-generation', \`\${process.env.SPACE_AUTHOR_NAME}/alice-space\`);
export default demo({
  inputs: [Textbox({ name: 'prompt' })],
  outputs: [Textbox({ name: 'story' })],
  fn: async ({ prompt }: { prompt: string }) => ({ story: (await generate(prompt, { max_new_tokens: 6 }))[0].generated_text }),
});
`,
      });
      const runtime = await waitForStage(
        server.url,
        id,
        ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR'],
        undefined,
        120_000,
      );
      expect(runtime.errorMessage).toBeUndefined();
      expect(await callApp(server.url, id, ['Alice was'])).toEqual([
        expect.stringContaining('Alice was to get very tired of the'),
      ]);
      const run = await readLog(server.url, id, 'run', (l) => l.some((x) => x.includes('ready from')));
      expect(run.lines).toContainEqual(
        expect.stringMatching(new RegExp(`^Model ${alice.name}/alice-space ready from this Atrium hub: `)),
      );
    });
  });
});
