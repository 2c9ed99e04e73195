import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestServer, type TestUser } from '../harness/index.js';
import {
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from '../sandbox/sandboxTesting.js';
import { api, commitFiles, readLog, waitForStage } from '../spaces/runtimeTesting.js';
import { pushAliceModel } from './pushModel.js';

// A sandbox sees at /models only the models its user may read now (issue 12 part 7): a kernel's owner,
// or for a Space app its owner's own models and public ones. Taking access away on the hub (private,
// deleted, moved, collaborator removed) takes the model out of running sandboxes within seconds.

/** Polls `check` until it is true; a generous tripwire for a hang, not a performance goal. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never happened: ${what}`);
}

const hub = (url: string, user: TestUser, route: string, method: string, body?: unknown) =>
  api(url, route, { method, body, user });

describe.skipIf(!hasDocker())('models in sandboxes follow the hub', () => {
  beforeAll(() => {
    ensureImage();
  });

  describe.each(RUNTIMES)('under %s', (runtime) => {
    let server: TestServer;
    /** Signs up first, so an instance admin: their sandboxes still get only what their roles give. */
    let alice: TestUser;
    let bob: TestUser;
    let bobKernel: string;
    let aliceKernel: string;

    const run = async (user: TestUser, kernel: string, code: string) =>
      execute(server.url, { authorization: `Bearer ${user.token}` }, kernel, code);
    /** Whether the kernel's sandbox can read the model's config.json right now. */
    const sees = async (user: TestUser, kernel: string, id: string) =>
      (await run(user, kernel, `require('node:fs').existsSync('/models/${id}/config.json')`)).result?.[
        'text/plain'
      ] === 'true';
    /** Loads and runs the model in the kernel, as a cell would: transformers.js asks the server for it. */
    const generate = (user: TestUser, kernel: string, id: string) =>
      run(
        user,
        kernel,
        `import { pipeline } from '@huggingface/transformers';
         const g = await pipeline('text-generation', '${id}');
         (await g('Alice was', { max_new_tokens: 3 }))[0].generated_text`,
      );

    beforeAll(async () => {
      server = await startSandboxServer(runtime, { executionTimeoutS: 60 });
      alice = await createUser(server.url);
      bob = await createUser(server.url);
      for (const name of ['to-hide', 'to-delete', 'to-move', 'for-app'])
        await pushAliceModel(server.url, alice, name);
      for (const name of ['secret', 'shared'])
        await pushAliceModel(server.url, alice, name, { private: true });
      await pushAliceModel(server.url, bob, 'own-secret', { private: true });
      expect(
        (
          await hub(server.url, alice, `/api/models/${alice.name}/shared/collaborators/${bob.name}`, 'PUT', {
            role: 'read',
          })
        ).status,
      ).toBe(200);
      bobKernel = (await startKernel(server.url, { authorization: `Bearer ${bob.token}` })).id;
      aliceKernel = (await startKernel(server.url, { authorization: `Bearer ${alice.token}` })).id;
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('takes a model out of a kernel within seconds of it going private, and only from those who lost it', async () => {
      const id = `${alice.name}/to-hide`;
      expect((await generate(bob, bobKernel, id)).error).toBeUndefined();
      expect((await generate(alice, aliceKernel, id)).error).toBeUndefined();
      expect(await sees(bob, bobKernel, id)).toBe(true);
      const made = await hub(server.url, alice, `/api/models/${id}/settings`, 'PUT', { private: true });
      expect(made.status).toBe(200);
      await eventually(async () => !(await sees(bob, bobKernel, id)), `${id} gone from bob's kernel`);
      // Loading it again is refused like a model that does not exist (a private one's existence stays hidden).
      expect((await generate(bob, bobKernel, id)).error?.evalue).toContain(
        `Model "${id}" is not on this Atrium instance`,
      );
      // Its owner may still read it: her kernel keeps it.
      expect(await sees(alice, aliceKernel, id)).toBe(true);
    });

    it('takes a deleted model out of a kernel within seconds', async () => {
      const id = `${alice.name}/to-delete`;
      expect((await generate(bob, bobKernel, id)).error).toBeUndefined();
      const deleted = await hub(server.url, alice, '/api/repos/delete', 'DELETE', {
        name: 'to-delete',
        type: 'model',
      });
      expect(deleted.status).toBe(200);
      await eventually(async () => !(await sees(bob, bobKernel, id)), `${id} gone after deletion`);
    });

    it('takes a moved model out of a kernel under its old name', async () => {
      const id = `${alice.name}/to-move`;
      expect((await generate(bob, bobKernel, id)).error).toBeUndefined();
      const moved = await hub(server.url, alice, '/api/repos/move', 'POST', {
        fromRepo: id,
        toRepo: `${alice.name}/moved-away`,
        type: 'model',
      });
      expect(moved.status).toBe(200);
      await eventually(async () => !(await sees(bob, bobKernel, id)), `${id} gone after the move`);
    });

    it("gives a collaborator's kernel a private model, and takes it back when the role goes", async () => {
      const id = `${alice.name}/shared`;
      expect((await generate(bob, bobKernel, id)).error).toBeUndefined();
      expect(await sees(bob, bobKernel, id)).toBe(true);
      const removed = await hub(server.url, alice, `/api/models/${id}/collaborators/${bob.name}`, 'DELETE');
      expect(removed.status).toBe(204);
      await eventually(async () => !(await sees(bob, bobKernel, id)), `${id} gone with the role`);
    });

    it("never shows another user's private model, not even to an instance admin's kernel", async () => {
      const secret = await generate(bob, bobKernel, `${alice.name}/secret`);
      expect(secret.error?.evalue).toContain(`Model "${alice.name}/secret" is not on this Atrium instance`);
      const own = await generate(alice, aliceKernel, `${bob.name}/own-secret`);
      expect(own.error?.evalue).toContain(`Model "${bob.name}/own-secret" is not on this Atrium instance`);
      const listing = await run(
        bob,
        bobKernel,
        `require('node:fs').readdirSync('/models', { recursive: true }).join()`,
      );
      expect(listing.result?.['text/plain']).not.toContain('secret');
      // Its owner gets his own private model.
      expect((await generate(bob, bobKernel, `${bob.name}/own-secret`)).error).toBeUndefined();
    });

    it('mounts /models without revealing a host path in mountinfo', async () => {
      const result = await run(
        bob,
        bobKernel,
        `console.log(require('node:fs').readFileSync('/proc/self/mountinfo', 'utf8'))`,
      );
      const mountinfo = result.stdout;
      const modelsLine = mountinfo.split('\n').find((l) => l.split(' ')[4] === '/models');
      expect(modelsLine).toBeDefined();
      expect(mountinfo).not.toContain(server.dataDir);
      // runc shows the mount's source within its file system: Docker's volume folder, nothing of Atrium's.
      if (runtime === 'runc')
        expect(modelsLine?.split(' ')[3]).toMatch(
          /^\/var\/lib\/docker\/volumes\/atrium-models-[0-9a-f]+\/_data$/,
        );
    });

    it("shows a public Space app its owner's models and public ones, and restarts it without one that goes private", async () => {
      const made = await api(server.url, '/api/spaces/from-template', {
        body: { template: 'blank-space', name: 'model-sight' },
        user: bob,
      });
      expect(made.status).toBe(201);
      const space = `${bob.name}/model-sight`;
      const forApp = `${alice.name}/for-app`;
      // bob may read alice/shared (a collaborator again): his app must still not see it.
      await hub(server.url, alice, `/api/models/${alice.name}/shared/collaborators/${bob.name}`, 'PUT', {
        role: 'read',
      });
      const declared = [forApp, `${bob.name}/own-secret`, `${alice.name}/shared`];
      await commitFiles(server.url, space, bob, {
        'README.md': `---\ntitle: Model sight\nsdk: atrium\napp_file: app.ts\nmodels:\n${declared.map((m) => `  - ${m}`).join('\n')}\n---\n`,
        'app.ts': `import { demo, Textbox, Checkbox } from '@atrium/sandbox/sdk';
import { existsSync } from 'node:fs';
export default demo({
  inputs: [Textbox({ name: 'model' })],
  outputs: [Checkbox({ name: 'seen' })],
  fn: ({ model }: { model: string }) => ({ seen: existsSync(\`/models/\${model}/config.json\`) }),
});
`,
      });
      const stage = await waitForStage(
        server.url,
        space,
        ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR'],
        undefined,
        120_000,
      );
      expect(stage.errorMessage).toBeUndefined();
      const client = await Client.connect(`${server.url}/spaces/${space}/app/`);
      const seen = async (model: string) =>
        ((await client.predict('/predict', { model })).data as boolean[])[0] === true;
      expect(await seen(forApp)).toBe(true);
      expect(await seen(`${bob.name}/own-secret`)).toBe(true);
      // Its owner may read alice/shared, but the app (which anyone may call) gets only the owner's own.
      expect(await seen(`${alice.name}/shared`)).toBe(false);
      expect(
        (await hub(server.url, alice, `/api/models/${forApp}/settings`, 'PUT', { private: true })).status,
      ).toBe(200);
      client.close();
      // The app may hold the model in memory: it restarts at once, saying why, and comes back without it.
      const build = await readLog(server.url, space, 'build', (l) => l.some((x) => x.includes('taken away')));
      expect(build.lines).toContainEqual(
        expect.stringContaining(`Access to ${forApp} was taken away: restarting the app`),
      );
      await waitForStage(server.url, space, ['RUNNING'], undefined, 120_000);
      const again = await Client.connect(`${server.url}/spaces/${space}/app/`);
      const seenAgain = async (model: string) =>
        ((await again.predict('/predict', { model })).data as boolean[])[0] === true;
      expect(await seenAgain(forApp)).toBe(false);
      expect(await seenAgain(`${bob.name}/own-secret`)).toBe(true);
      again.close();
    });
  });

  describe('the model cache', () => {
    let server: TestServer;
    let admin: TestUser;
    let bob: TestUser;

    beforeAll(async () => {
      server = await startSandboxServer('runc', { executionTimeoutS: 60 });
      admin = await createUser(server.url);
      bob = await createUser(server.url);
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    const commits = () => path.join(server.services.modelCache.root, '.commits');
    const gc = () => api(server.url, '/api/admin/hub/gc', { method: 'POST', user: admin });

    it('collects commit folders no sandbox and no current model uses, keeping those in use', async () => {
      const id = await pushAliceModel(server.url, bob, 'collected');
      const headers = { authorization: `Bearer ${bob.token}` };
      const kernel = await startKernel(server.url, headers);
      const loaded = await execute(
        server.url,
        headers,
        kernel.id,
        `import { AutoTokenizer } from '@huggingface/transformers'; await AutoTokenizer.from_pretrained('${id}'); 'ok'`,
      );
      expect(loaded.error).toBeUndefined();
      const first = (await server.services.modelCache.ensure(id)).commit;
      // A new commit: the cache follows the head; the kernel keeps the commit it loaded.
      const res = await fetch(`${server.url}/api/models/${id}/commit/main`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-ndjson' },
        body: [
          JSON.stringify({ key: 'header', value: { summary: 'More', description: '' } }),
          JSON.stringify({
            key: 'file',
            value: { path: 'notes.txt', content: Buffer.from('v2').toString('base64'), encoding: 'base64' },
          }),
        ].join('\n'),
      });
      expect(res.status).toBe(200);
      const head = (await server.services.modelCache.ensure(id)).commit;
      expect(head).not.toBe(first);

      let swept = await gc();
      expect(swept.status).toBe(200);
      expect(fs.existsSync(path.join(commits(), first))).toBe(true); // the kernel's sandbox links it
      expect(fs.existsSync(path.join(commits(), head))).toBe(true); // the model's current commit

      expect(
        (await fetch(`${server.url}/api/kernels/${kernel.id}`, { method: 'DELETE', headers })).status,
      ).toBe(204);
      swept = await gc();
      expect(swept.body.modelCache.commits).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(path.join(commits(), first))).toBe(false);
      expect(fs.existsSync(path.join(commits(), head))).toBe(true);

      await hub(server.url, bob, '/api/repos/delete', 'DELETE', { name: 'collected', type: 'model' });
      swept = await gc();
      expect(swept.body.modelCache.models).toBe(1);
      expect(fs.existsSync(path.join(commits(), head))).toBe(false);
      expect(fs.existsSync(path.join(server.services.modelCache.root, id))).toBe(false);
    });

    it('keeps model files readable by any uid, as sandboxes read as their own', async () => {
      const id = await pushAliceModel(server.url, bob, 'modes');
      const cached = await server.services.modelCache.ensure(id);
      const file = path.join(server.services.modelCache.folderPath(cached.folder), 'config.json');
      expect(fs.statSync(file).mode & 0o004).toBe(0o004);
    });
  });
});
