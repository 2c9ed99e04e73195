import { SPACE_FILES_MAP, type TemplateView } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Y from 'yjs';
import { connectClient, synced, until } from '../collab/collabClients.js';
import {
  createUser,
  hasDocker,
  startTestServer,
  type TestServer,
  type TestUser,
  waitFor,
} from '../harness/index.js';
import { RUNTIMES, uniqueInstance } from '../sandbox/sandboxTesting.js';
import { api, callApp, commitFiles, readLog, waitForCommit, waitForStage } from './runtimeTesting.js';

const ENV_APP = `import { demo, Textbox } from '@atrium/sandbox/sdk';
console.log('env app starting');
export default demo({
  inputs: [Textbox({ name: 'key' })],
  outputs: [Textbox({ name: 'value' })],
  fn: ({ key }: { key: string }) => ({ value: process.env[key] ?? '(unset)' }),
});
`;

describe('Space runtime API without sandboxes', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ instanceId: uniqueInstance() });
    alice = await createUser(server.url);
    bob = await createUser(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists every template with its card, Spaces and notebooks', async () => {
    const { status, body } = await api(server.url, '/api/templates');
    expect(status).toBe(200);
    const templates = body as TemplateView[];
    const sentiment = templates.find((t) => t.name === 'sentiment-analysis' && t.kind === 'space');
    expect(sentiment).toMatchObject({
      sdk: 'atrium',
      emoji: expect.any(String),
      colorFrom: expect.any(String),
    });
    expect(sentiment?.title.length).toBeGreaterThan(0);
    expect(templates.find((t) => t.name === 'sentiment-analysis' && t.kind === 'notebook')).toBeDefined();
    expect(templates.find((t) => t.name === 'static-space')?.sdk).toBe('static');
    expect(templates.find((t) => t.name === 'blank-space')?.kind).toBe('space');
    expect(templates.filter((t) => t.name === 'blank-notebook').map((t) => t.kind)).toEqual(['notebook']);
  });

  it('creates a Space from a template with its files, and refuses unknown templates and anonymous callers', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'sentiment-analysis', name: 'mood' },
      user: alice,
    });
    expect(made.status).toBe(201);
    expect(made.body.id).toBe(`${alice.name}/mood`);
    expect(made.body.sdk).toBe('atrium');
    expect(made.body.cardData.emoji).toBeDefined();
    const files = (made.body.siblings as { rfilename: string }[]).map((s) => s.rfilename).sort();
    expect(files).toEqual(['.gitattributes', 'README.md', 'app.ts']);

    const refusals: [Record<string, string>, TestUser | undefined, number][] = [
      [{ template: 'nope', name: 'x' }, alice, 400],
      [{ template: '../etc', name: 'x' }, alice, 400],
      [{ template: 'blank-notebook', name: 'x' }, alice, 400],
      [{ template: 'blank-space', name: 'x' }, undefined, 401],
      [{ template: 'blank-space', name: 'mood' }, alice, 409],
    ];
    for (const [body, user, status] of refusals) {
      const res = await api(server.url, '/api/spaces/from-template', { body, user });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
  });

  it('serves a static Space as is, framed safely, and reports it RUNNING', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'page' },
      user: alice,
    });
    expect(made.status).toBe(201);
    const id = `${alice.name}/page`;
    const runtime = await waitForStage(server.url, id, ['RUNNING']);
    expect(runtime).toMatchObject({
      hardware: { requested: 'cpu-basic' },
      storage: null,
      gcTimeout: null,
      sha: made.body.sha,
    });

    const noSlash = await fetch(`${server.url}/spaces/${id}/app`, { redirect: 'manual' });
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get('location')).toBe(`/spaces/${id}/app/`);
    const page = await fetch(`${server.url}/spaces/${id}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts/);
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(await page.text()).toMatch(/<html/i);

    await commitFiles(server.url, id, alice, {
      'style.css': 'body { color: red }',
      'index.html': '<html><body>v2</body></html>',
    });
    await waitFor(
      async () => (await (await fetch(`${server.url}/spaces/${id}/app/`)).text()).includes('v2'),
      {
        what: 'the static Space to serve the new commit',
      },
    );
    const css = await fetch(`${server.url}/spaces/${id}/app/style.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect(await css.text()).toBe('body { color: red }');
    expect(await (await fetch(`${server.url}/spaces/${id}/app/`)).text()).toContain('v2');
    expect((await fetch(`${server.url}/spaces/${id}/app/missing.js`)).status).toBe(404);
  });

  it('keeps secrets write-only and variables public, and copies only variables to a duplicate', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'knobs' },
      user: alice,
    });
    const id = `${alice.name}/knobs`;
    expect(
      (
        await api(server.url, `/api/spaces/${id}/secrets`, {
          body: { key: 'API_KEY', value: 's3cret' },
          user: alice,
        })
      ).status,
    ).toBe(200);
    const v = await api(server.url, `/api/spaces/${id}/variables`, {
      body: { key: 'GREETING', value: 'hi', description: 'said first' },
      user: alice,
    });
    expect(v.status).toBe(200);
    expect(v.body.GREETING).toMatchObject({ value: 'hi', description: 'said first' });

    const publicView = await api(server.url, `/api/spaces/${id}/variables`);
    expect(publicView.body).toEqual({
      GREETING: { value: 'hi', description: 'said first', updatedAt: expect.any(String) },
    });
    const secrets = await api(server.url, `/api/spaces/${id}/secrets`, { user: alice });
    expect(secrets.body).toEqual({ API_KEY: { description: null, updatedAt: expect.any(String) } });
    expect(JSON.stringify(secrets.body)).not.toContain('s3cret');
    expect((await api(server.url, `/api/spaces/${id}/secrets`, { user: bob })).status).toBe(403);
    expect(
      (await api(server.url, `/api/spaces/${id}/secrets`, { body: { key: 'X', value: 'y' }, user: bob }))
        .status,
    ).toBe(403);
    expect(
      (await api(server.url, `/api/spaces/${id}/secrets`, { body: { key: '1BAD', value: 'y' }, user: alice }))
        .status,
    ).toBe(400);
    expect(
      (
        await api(server.url, `/api/spaces/${id}/variables`, {
          body: { key: 'API_KEY', value: 'y' },
          user: alice,
        })
      ).status,
    ).toBe(400);

    const dup = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${bob.name}/knobs-copy` },
      user: bob,
    });
    expect(dup.status).toBe(200);
    // The copy takes its source's variables when the runtime hears of it, just after the answer.
    const copied = await waitFor(
      async () => {
        const { body } = await api(server.url, `/api/spaces/${bob.name}/knobs-copy/variables`);
        return Object.keys(body).length > 0 ? body : undefined;
      },
      { what: 'the duplicate to take the variables' },
    );
    expect(Object.keys(copied)).toEqual(['GREETING']);
    expect((await api(server.url, `/api/spaces/${bob.name}/knobs-copy/secrets`, { user: bob })).body).toEqual(
      {},
    );

    // huggingface_hub's duplicate_space may name secrets, variables and a sleep time for the copy.
    const named = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: {
        repository: `${bob.name}/knobs-named`,
        secrets: [{ key: 'OWN_KEY', value: 'bobs' }],
        variables: [{ key: 'GREETING', value: 'hello from bob' }],
        sleepTimeSeconds: -1,
      },
      user: bob,
    });
    expect(named.status).toBe(200);
    const namedId = `${bob.name}/knobs-named`;
    await waitFor(
      async () =>
        (await api(server.url, `/api/spaces/${namedId}/variables`)).body.GREETING?.value === 'hello from bob',
      { what: 'the named duplicate to have its own variable' },
    );
    expect(
      Object.keys((await api(server.url, `/api/spaces/${namedId}/secrets`, { user: bob })).body),
    ).toEqual(['OWN_KEY']);
    const badDup = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${bob.name}/knobs-bad`, secrets: [{ key: 'no spaces', value: 'x' }] },
      user: bob,
    });
    expect(badDup.status).toBe(400);
    expect((await api(server.url, `/api/spaces/${bob.name}/knobs-bad`)).status).toBe(404);

    expect(
      (
        await api(server.url, `/api/spaces/${id}/secrets`, {
          method: 'DELETE',
          body: { key: 'API_KEY' },
          user: alice,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(server.url, `/api/spaces/${id}/secrets`, {
          method: 'DELETE',
          body: { key: 'API_KEY' },
          user: alice,
        })
      ).status,
    ).toBe(404);
    const afterDelete = await api(server.url, `/api/spaces/${id}/variables`, {
      method: 'DELETE',
      body: { key: 'GREETING' },
      user: alice,
    });
    expect(afterDelete.body).toEqual({});
  });

  it("copies a Space's secrets into a duplicate only when asked, and only for someone who may manage them", async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'vault' },
      user: alice,
    });
    const id = `${alice.name}/vault`;
    for (const [key, value] of [
      ['API_KEY', 'k-1'],
      ['DB_URL', 'postgres://x'],
    ])
      expect(
        (await api(server.url, `/api/spaces/${id}/secrets`, { body: { key, value }, user: alice })).status,
      ).toBe(200);
    const secretNames = async (space: string, user: TestUser) =>
      Object.keys((await api(server.url, `/api/spaces/${space}/secrets`, { user })).body).sort();

    // Bob may read the Space, not manage its secrets: asking to copy them is refused and nothing is made.
    const refused = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${bob.name}/vault-copy`, copySecrets: true },
      user: bob,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual(expect.any(String));
    expect((await api(server.url, `/api/spaces/${bob.name}/vault-copy`)).status).toBe(404);

    // Alice asks: the copy has both, and a secret she names herself wins over the copied one.
    const asked = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: {
        repository: `${alice.name}/vault-asked`,
        copySecrets: true,
        private: true,
        secrets: [{ key: 'DB_URL', value: 'postgres://mine' }],
      },
      user: alice,
    });
    expect(asked.status).toBe(200);
    expect(await secretNames(`${alice.name}/vault-asked`, alice)).toEqual(['API_KEY', 'DB_URL']);
    expect((await api(server.url, `/api/spaces/${alice.name}/vault-asked`)).status).toBe(404);
    expect(
      (await api(server.url, `/api/spaces/${alice.name}/vault-asked`, { user: alice })).body.private,
    ).toBe(true);

    // Alice does not ask: the copy starts without secrets, as every duplicate did before.
    const plain = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${alice.name}/vault-plain` },
      user: alice,
    });
    expect(plain.status).toBe(200);
    expect(await secretNames(`${alice.name}/vault-plain`, alice)).toEqual([]);
    expect(
      (
        await api(server.url, `/api/spaces/${id}/duplicate`, {
          body: { repository: 'x/y', copySecrets: 'yes' },
          user: alice,
        })
      ).status,
    ).toBe(400);
  });

  it('answers restart, pause and sleeptime only to writers, in the Hub shape', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'ctl' },
      user: alice,
    });
    const id = `${alice.name}/ctl`;
    expect((await api(server.url, `/api/spaces/${id}/restart`, { method: 'POST' })).status).toBe(401);
    expect((await api(server.url, `/api/spaces/${id}/pause`, { method: 'POST', user: bob })).status).toBe(
      403,
    );
    expect(
      (await api(server.url, `/api/spaces/${id}/sleeptime`, { body: { seconds: 0 }, user: alice })).status,
    ).toBe(400);
    const paused = await api(server.url, `/api/spaces/${id}/pause`, { method: 'POST', user: alice });
    expect(paused.body).toMatchObject({ stage: 'PAUSED', replicas: { current: 0, requested: 1 } });
    expect((await waitForStage(server.url, id, ['PAUSED'])).stage).toBe('PAUSED');
    expect((await fetch(`${server.url}/spaces/${id}/app/`)).status).toBe(503);
    await api(server.url, `/api/spaces/${id}/restart`, { method: 'POST', user: alice });
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
    expect((await api(server.url, `/api/spaces/${alice.name}/nope/runtime`)).status).toBe(404);
  });

  it('hides a private Space’s runtime, logs, variables and app from those who cannot read it', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'hidden', private: true },
      user: alice,
    });
    expect(made.status).toBe(201);
    const id = `${alice.name}/hidden`;
    expect((await waitForStage(server.url, id, ['RUNNING'], alice)).stage).toBe('RUNNING');
    for (const path of ['runtime', 'variables', 'logs/build']) {
      expect((await api(server.url, `/api/spaces/${id}/${path}`)).status).toBe(404);
      expect((await api(server.url, `/api/spaces/${id}/${path}`, { user: bob })).status).toBe(404);
    }
    expect((await fetch(`${server.url}/spaces/${id}/app/index.html`)).status).toBe(404);
    const own = await fetch(`${server.url}/spaces/${id}/app/index.html`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(own.status).toBe(200);
  });

  it('reports a card with an unknown sdk as CONFIG_ERROR and a missing app file as NO_APP_FILE', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'broken' },
      user: alice,
    });
    const id = `${alice.name}/broken`;
    await commitFiles(server.url, id, alice, { 'README.md': '---\nsdk: docker\n---\n' });
    const config = await waitForStage(server.url, id, ['CONFIG_ERROR']);
    expect(config.errorMessage).toMatch(/docker/);
    await commitFiles(server.url, id, alice, { 'README.md': '---\nsdk: static\napp_file: main.html\n---\n' });
    expect((await waitForStage(server.url, id, ['NO_APP_FILE'])).errorMessage).toMatch(/main\.html/);
    const build = await readLog(server.url, id, 'build', (l) => l.some((x) => x.includes('main.html')));
    expect(build.contentType).toMatch(/text\/event-stream/);
    expect(build.raw).toMatch(/^data: \{"data":".*","timestamp":"\d{4}-/m);
  });
});

describe.runIf(hasDocker()).each(RUNTIMES)('Space apps in real sandboxes under %s', (runtime) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      instanceId: uniqueInstance(),
      sandboxRuntime: runtime,
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
    });
    await server.services.runtime.whenReady();
    if (server.services.runtime.image.state !== 'present') throw new Error('the sandbox image is not ready');
    alice = await createUser(server.url);
    bob = await createUser(server.url);
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('builds a blank Space, runs it in a sandbox and restarts it on every commit', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'hello' },
      user: alice,
    });
    const id = `${alice.name}/hello`;
    const first = await waitForStage(server.url, id, ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR']);
    expect(first.stage).toBe('RUNNING');
    expect(await callApp(server.url, id, ['Ada'])).toEqual(['Hello, Ada!']);

    const { commitOid } = await commitFiles(server.url, id, alice, {
      'app.ts': `import { demo, Textbox } from '@atrium/sandbox/sdk';
import { shout } from './shout';
export default demo({
  inputs: [Textbox({ name: 'name' })],
  outputs: [Textbox({ name: 'greeting' })],
  fn: ({ name }: { name: string }) => ({ greeting: shout(\`Bonjour, \${name}\`) }),
});
`,
      'shout.ts': "export const shout = (s: string): string => s.toUpperCase() + '!';\n",
    });
    const rebuilt = await waitForStage(
      server.url,
      id,
      ['RUNNING_BUILDING', 'BUILDING', 'RUNNING'],
      undefined,
      5_000,
    );
    expect(['RUNNING_BUILDING', 'BUILDING', 'RUNNING']).toContain(rebuilt.stage);
    await waitForCommit(server.url, id, commitOid, ['RUNNING']);
    expect(await callApp(server.url, id, ['Ada'])).toEqual(['BONJOUR, ADA!']);
    const build = await readLog(server.url, id, 'build', (l) => l.includes('Running'));
    expect(build.lines.some((l) => l.startsWith('App loaded in'))).toBe(true);
  }, 120_000);

  it('restarts the app when a live-edited file is saved from the editor, with the new code running', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'live' },
      user: alice,
    });
    const id = `${alice.name}/live`;
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
    const editor = connectClient(server, `spaces/${id}`, { token: bob.token });
    const owner = connectClient(server, `spaces/${id}`, { cookie: alice.cookie });
    try {
      await Promise.all([synced(editor), synced(owner)]);
      const app = owner.doc.getMap<Y.Text>(SPACE_FILES_MAP).get('app.ts');
      if (!app) throw new Error('app.ts is not in the live document');
      const at = app.toString().indexOf('Hello');
      app.delete(at, 'Hello'.length);
      app.insert(at, 'Howdy');
      await until(
        () => editor.doc.getMap<Y.Text>(SPACE_FILES_MAP).get('app.ts')?.toString().includes('Howdy') ?? false,
      );
      const saved = await fetch(`${server.url}/api/collab/spaces/${id}/save`, {
        method: 'POST',
        headers: { ...alice.sessionHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Howdy' }),
      });
      expect(saved.status).toBe(201);
      // Calls may fail while the app restarts: waitFor retries them.
      await waitFor(async () => (await callApp(server.url, id, ['Ada']))[0] === 'Howdy, Ada!', {
        what: 'the saved code to answer',
        timeout: 60_000,
      });
    } finally {
      editor.destroy();
      owner.destroy();
    }
  }, 120_000);

  it('injects variables and secrets as environment; a duplicate gets the variables, and the secrets only when its owner asks', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'env' },
      user: alice,
    });
    const id = `${alice.name}/env`;
    await api(server.url, `/api/spaces/${id}/variables`, {
      body: { key: 'COLOUR', value: 'teal' },
      user: alice,
    });
    await api(server.url, `/api/spaces/${id}/secrets`, {
      body: { key: 'TOKEN', value: 'hunter2' },
      user: alice,
    });
    const { commitOid } = await commitFiles(server.url, id, alice, { 'app.ts': ENV_APP });
    expect(
      (await waitForCommit(server.url, id, commitOid, ['RUNNING', 'RUNTIME_ERROR', 'BUILD_ERROR'])).stage,
    ).toBe('RUNNING');
    expect(await callApp(server.url, id, ['COLOUR'])).toEqual(['teal']);
    expect(await callApp(server.url, id, ['TOKEN'])).toEqual(['hunter2']);
    expect(await callApp(server.url, id, ['SPACE_ID'])).toEqual([id]);
    const run = await readLog(server.url, id, 'run', (l) => l.includes('env app starting'));
    expect(run.lines).toContain('env app starting');

    const dup = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${bob.name}/env-copy` },
      user: bob,
    });
    expect(dup.status).toBe(200);
    const copyId = `${bob.name}/env-copy`;
    expect((await waitForStage(server.url, copyId, ['RUNNING', 'RUNTIME_ERROR', 'BUILD_ERROR'])).stage).toBe(
      'RUNNING',
    );
    expect(await callApp(server.url, copyId, ['COLOUR'])).toEqual(['teal']);
    expect(await callApp(server.url, copyId, ['TOKEN'])).toEqual(['(unset)']);

    // The owner's own copy, asked to take the secrets: the app reads the secret's value.
    const own = await api(server.url, `/api/spaces/${id}/duplicate`, {
      body: { repository: `${alice.name}/env-own`, copySecrets: true },
      user: alice,
    });
    expect(own.status).toBe(200);
    const ownId = `${alice.name}/env-own`;
    expect((await waitForStage(server.url, ownId, ['RUNNING', 'RUNTIME_ERROR', 'BUILD_ERROR'])).stage).toBe(
      'RUNNING',
    );
    expect(await callApp(server.url, ownId, ['TOKEN'])).toEqual(['hunter2']);
    // The copies' apps go, so the tests after this one keep room under the cap on running apps.
    for (const [user, name] of [
      [bob, 'env-copy'],
      [alice, 'env-own'],
    ] as const)
      expect(
        (
          await api(server.url, '/api/repos/delete', {
            method: 'DELETE',
            body: { name, type: 'space' },
            user,
          })
        ).status,
      ).toBe(200);
  }, 180_000);

  it('shows a syntax error as BUILD_ERROR and a crash at start as RUNTIME_ERROR, then recovers on a fix', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'oops' },
      user: alice,
    });
    const id = `${alice.name}/oops`;
    await waitForStage(server.url, id, ['RUNNING']);
    await commitFiles(server.url, id, alice, { 'app.ts': 'export default = ;' });
    const build = await waitForStage(server.url, id, ['BUILD_ERROR']);
    expect(build.errorMessage).toMatch(/app\.ts/);
    expect((await fetch(`${server.url}/spaces/${id}/app/config`)).status).toBe(404);
    await commitFiles(server.url, id, alice, { 'app.ts': "throw new Error('no luck today');\n" });
    const crash = await waitForStage(server.url, id, ['RUNTIME_ERROR']);
    expect(crash.errorMessage).toMatch(/no luck today/);
    const run = await readLog(server.url, id, 'run', (l) => l.some((x) => x.includes('no luck today')));
    expect(run.lines.some((l) => l.includes('no luck today'))).toBe(true);
    await commitFiles(server.url, id, alice, { 'app.ts': ENV_APP });
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
  }, 120_000);

  it("points an app's errors at the line of app.ts the author wrote, not the built app.mjs", async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'where' },
      user: alice,
    });
    const id = `${alice.name}/where`;
    // Types above the throw: line 7 of app.ts, whatever the type stripping made of the lines above.
    const crashing = [
      'interface Settings {',
      '  threshold: number;',
      '  labels: string[];',
      '}',
      "const settings: Settings = { threshold: 0.5, labels: ['a'] };",
      '',
      'throw new Error(`bad threshold ${settings.threshold}`);',
      '',
    ].join('\n');
    await commitFiles(server.url, id, alice, { 'app.ts': crashing });
    const crash = await waitForStage(server.url, id, ['RUNTIME_ERROR']);
    expect(crash.errorMessage).toBe('bad threshold 0.5 (app.ts:7:7)');
    const atStart = await readLog(server.url, id, 'run', (l) => l.some((x) => x.includes('app.ts:7:7')));
    expect(atStart.lines).toContain('    at <anonymous> (app.ts:7:7)');
    expect(atStart.raw).not.toContain('app.mjs');
    // Node's loader and the runner's own frames are no part of the author's story.
    expect(atStart.raw).not.toContain('node:internal');
    expect(atStart.raw).not.toContain('appMain');

    // A call that fails in a helper module: its caller reads the message, the run log the helper's line.
    const helper = [
      'export function check(text: string): string {',
      '  const limit: number = 5;',
      '  if (text.length > limit) {',
      '    throw new RangeError(`too long: ${text.length}`);',
      '  }',
      '  return text;',
      '}',
    ].join('\n');
    const app = [
      "import { demo, Textbox } from '@atrium/sandbox/sdk';",
      "import { check } from './lib/check';",
      'export default demo({',
      "  inputs: [Textbox({ name: 'text' })],",
      "  outputs: [Textbox({ name: 'out' })],",
      '  fn: ({ text }: { text: string }) => ({ out: check(text) }),',
      '});',
    ].join('\n');
    await commitFiles(server.url, id, alice, { 'app.ts': app, 'lib/check.ts': helper });
    expect((await waitForStage(server.url, id, ['RUNNING', 'RUNTIME_ERROR'])).stage).toBe('RUNNING');
    await expect(callApp(server.url, id, ['far too long'])).rejects.toThrow(/too long: 12/);
    const inCall = await readLog(server.url, id, 'run', (l) => l.some((x) => x.includes('lib/check.ts:4:')));
    expect(inCall.raw).toMatch(/RangeError: too long: 12[\s\S]*at check \(lib\/check\.ts:4:11\)/);
    expect(inCall.raw).not.toContain('.mjs');
    expect(
      (
        await api(server.url, '/api/repos/delete', {
          method: 'DELETE',
          body: { name: 'where', type: 'space' },
          user: alice,
        })
      ).status,
    ).toBe(200);
  }, 120_000);

  it('reports an app whose sandbox dies while running as RUNTIME_ERROR with the exit code', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'crash' },
      user: alice,
    });
    const id = `${alice.name}/crash`;
    const { commitOid } = await commitFiles(server.url, id, alice, {
      'app.ts': `import { demo, Textbox } from '@atrium/sandbox/sdk';
export default demo({
  inputs: [Textbox({ name: 'x' })],
  outputs: [Textbox({ name: 'y' })],
  fn: ({ x }: { x: string }) => {
    if (x === 'exit') setTimeout(() => process.exit(3), 10);
    return { y: x };
  },
});
`,
    });
    expect((await waitForCommit(server.url, id, commitOid, ['RUNNING'])).stage).toBe('RUNNING');
    expect(await callApp(server.url, id, ['exit'])).toEqual(['exit']);
    const dead = await waitForStage(server.url, id, ['RUNTIME_ERROR']);
    expect(dead.errorMessage).toMatch(/exited with code 3/);
    expect(dead.replicas.current).toBe(0);
    await api(server.url, `/api/spaces/${id}/restart`, { method: 'POST', user: alice });
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
    expect(await callApp(server.url, id, ['again'])).toEqual(['again']);
  }, 120_000);

  it('moves a renamed Space’s app to its new URL and removes a deleted Space’s sandbox', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'old-name' },
      user: alice,
    });
    await waitForStage(server.url, `${alice.name}/old-name`, ['RUNNING']);
    const moved = await api(server.url, '/api/repos/move', {
      body: { fromRepo: `${alice.name}/old-name`, toRepo: `${alice.name}/new-name`, type: 'space' },
      user: alice,
    });
    expect(moved.status).toBe(200);
    const id = `${alice.name}/new-name`;
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
    expect(await callApp(server.url, id, ['Lin'])).toEqual(['Hello, Lin!']);
    expect((await fetch(`${server.url}/spaces/${alice.name}/old-name/app/config`)).status).toBe(404);

    const before = server.services.spaceRuntimes.stats().apps;
    const deleted = await api(server.url, '/api/repos/delete', {
      method: 'DELETE',
      body: { name: 'new-name', type: 'space' },
      user: alice,
    });
    expect(deleted.status).toBe(200);
    await waitFor(() => server.services.spaceRuntimes.stats().apps < before, {
      what: "the deleted Space's app to stop",
    });
    expect(server.services.spaceRuntimes.stats().apps).toBe(before - 1);
    expect((await fetch(`${server.url}/spaces/${id}/app/config`)).status).toBe(404);
  }, 120_000);

  it('sleeps after its idle time, wakes on a visit, and stays down while paused', async () => {
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'nap' },
      user: alice,
    });
    const id = `${alice.name}/nap`;
    await waitForStage(server.url, id, ['RUNNING']);
    const set = await api(server.url, `/api/spaces/${id}/sleeptime`, { body: { seconds: 1 }, user: alice });
    expect(set.body.gcTimeout).toBe(1);
    // Look without visiting: the Space page's runtime call is a visit, so read the stage from the server.
    const repo = await server.services.hub.repos.find('space', alice.name, 'nap');
    if (!repo) throw new Error('no repo');
    // This Space's own stage: another test's app may sleep meanwhile (the cap on running apps).
    await waitFor(
      async () => (await server.services.spaceRuntimes.view(repo, { wake: false })).stage === 'SLEEPING',
      {
        what: 'the Space to sleep after 1 s without visits',
        timeout: 30_000,
      },
    );
    expect((await fetch(`${server.url}/spaces/${id}/app/gradio_api/info`)).status).toBe(200);
    expect(await callApp(server.url, id, ['Grace'])).toEqual(['Hello, Grace!']);
    await api(server.url, `/api/spaces/${id}/sleeptime`, { body: { seconds: -1 }, user: alice });
    expect((await api(server.url, `/api/spaces/${id}/runtime`)).body.gcTimeout).toBeNull();

    await api(server.url, `/api/spaces/${id}/pause`, { method: 'POST', user: alice });
    // The runtime hears of a commit just after it lands: wait until it has, then it must still be paused.
    const heard = vi.spyOn(server.services.spaceRuntimes, 'onNewCommit');
    await commitFiles(server.url, id, alice, { 'notes.txt': 'while paused' });
    await waitFor(() => heard.mock.settledResults.some((r) => r.type === 'fulfilled'), {
      what: 'the runtime to hear of the commit',
    });
    heard.mockRestore();
    expect((await api(server.url, `/api/spaces/${id}/runtime`)).body.stage).toBe('PAUSED');
    expect((await fetch(`${server.url}/spaces/${id}/app/config`)).status).toBe(404);
    await api(server.url, `/api/spaces/${id}/restart`, { method: 'POST', user: alice });
    expect((await waitForStage(server.url, id, ['RUNNING'])).stage).toBe('RUNNING');
  }, 120_000);
});

describe.runIf(hasDocker())('a cap on running apps', () => {
  let server: TestServer;
  let alice: TestUser;

  beforeAll(async () => {
    process.env.ATRIUM_SPACES_MAX_RUNNING = '2';
    try {
      server = await startTestServer({
        instanceId: uniqueInstance(),
        sandboxPoolSize: 0,
        sandboxPoolEager: false,
      });
    } finally {
      delete process.env.ATRIUM_SPACES_MAX_RUNNING;
    }
    await server.services.runtime.whenReady();
    alice = await createUser(server.url);
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('puts the least recently visited app to sleep when one more starts, and wakes it on its next visit', async () => {
    for (const name of ['first', 'second']) {
      await api(server.url, '/api/spaces/from-template', {
        body: { template: 'blank-space', name },
        user: alice,
      });
      await waitForStage(server.url, `${alice.name}/${name}`, ['RUNNING']);
    }
    // A visit to 'second' after every visit to 'first' (stamps are in ms: a tie goes to the older, 'first').
    await api(server.url, `/api/spaces/${alice.name}/second/runtime`);
    await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name: 'third' },
      user: alice,
    });
    await waitForStage(server.url, `${alice.name}/third`, ['RUNNING']);
    const first = await server.services.hub.repos.find('space', alice.name, 'first');
    const second = await server.services.hub.repos.find('space', alice.name, 'second');
    if (!first || !second) throw new Error('missing Spaces');
    expect((await server.services.spaceRuntimes.view(first, { wake: false })).stage).toBe('SLEEPING');
    expect((await server.services.spaceRuntimes.view(second, { wake: false })).stage).toBe('RUNNING');
    expect(server.services.spaceRuntimes.stats().apps).toBe(2);
    expect(await callApp(server.url, `${alice.name}/first`, ['again'])).toEqual(['Hello, again!']);
  }, 120_000);
});
