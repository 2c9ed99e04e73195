import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestServer, type TestUser } from '../harness/index.js';
import { ensureImage, RUNTIMES, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { api, commitFiles, readLog, waitForStage } from './runtimeTesting.js';

// A demo call has a time limit (issue 12 part 9): a function that never returns no longer holds the
// queue for every caller. The caller gets a clear error at the limit, the next caller goes on, the run
// log says so; an app stuck in a synchronous loop (deaf even to the cancel) is restarted.
const APP = `import { demo, Textbox } from '@atrium/sandbox/sdk';
export default demo({
  inputs: [Textbox({ name: 'text' })],
  outputs: [Textbox({ name: 'out' })],
  fn: async ({ text }: { text: string }) => {
    if (text === 'hang') await new Promise(() => {});
    if (text === 'spin') for (;;) {}
    return { out: 'echo ' + text };
  },
});
`;

/** What @gradio/client rejected with, as text (it rejects with a status object, not an Error). */
const failure = async (call: Promise<unknown>) =>
  JSON.stringify(
    await call.then(
      () => 'no error',
      (err: unknown) => (err instanceof Error ? err.message : err),
    ),
  );

describe.skipIf(!hasDocker())('the time limit on a demo call', () => {
  beforeAll(() => {
    ensureImage();
  });

  describe.each(RUNTIMES)('under %s', (runtime) => {
    let server: TestServer;
    let owner: TestUser;
    let space: string;

    beforeAll(async () => {
      server = await startSandboxServer(runtime);
      owner = await createUser(server.url);
      const made = await api(server.url, '/api/spaces/from-template', {
        body: { template: 'blank-space', name: 'slow-demo' },
        user: owner,
      });
      expect(made.status).toBe(201);
      space = `${owner.name}/slow-demo`;
      await commitFiles(server.url, space, owner, {
        'README.md': '---\ntitle: Slow demo\nsdk: atrium\napp_file: app.ts\ncall_duration_timeout: 2s\n---\n',
        'app.ts': APP,
      });
      const stage = await waitForStage(
        server.url,
        space,
        ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR'],
        undefined,
        120_000,
      );
      expect(stage.errorMessage).toBeUndefined();
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('stops a call that never returns with a clear error, and the caller waiting behind it goes on', async () => {
      const client = await Client.connect(`${server.url}/spaces/${space}/app/`);
      const hung = failure(client.predict('/predict', { text: 'hang' }));
      // Queued behind the hung call (one at a time): it runs once the limit frees the slot.
      const next = client.predict('/predict', { text: 'next' });
      expect(await hung).toContain("This call took longer than the Space's limit of 2 s and was stopped");
      expect((await next).data).toEqual(['echo next']);
      const run = await readLog(server.url, space, 'run', (l) =>
        l.some((x) => x.includes('was stopped after')),
      );
      expect(run.lines).toContainEqual(
        "A call to /predict was stopped after 2 s (the Space's call_duration_timeout)",
      );
      // The app obeyed the cancel: it keeps running, no restart.
      expect((await waitForStage(server.url, space, ['RUNNING'])).stage).toBe('RUNNING');
      client.close();
    });

    it('restarts an app whose call is stuck in a synchronous loop, and serves again after', async () => {
      const client = await Client.connect(`${server.url}/spaces/${space}/app/`);
      expect(await failure(client.predict('/predict', { text: 'spin' }))).toContain('limit of 2 s');
      client.close();
      const build = await readLog(
        server.url,
        space,
        'build',
        (l) => l.some((x) => x.includes('restarting it')),
        30_000,
      );
      expect(build.lines).toContainEqual(
        'The app did not stop a call within 5 s of its cancel: restarting it',
      );
      await waitForStage(server.url, space, ['RUNNING'], undefined, 120_000);
      const again = await Client.connect(`${server.url}/spaces/${space}/app/`);
      expect((await again.predict('/predict', { text: 'after' })).data).toEqual(['echo after']);
      again.close();
    });
  });
});
