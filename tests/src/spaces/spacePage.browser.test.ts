import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  hasDocker,
  launchBrowser,
  openPageAs,
  screenshotPath,
  type TestServer,
  type TestUser,
  waitForStageBadge,
} from '../harness/index.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { requireClientDist } from '../shell/clientDist.js';

// The Space page's tools against a real sandboxed app: streamed outputs as they come, the queue
// position of a second caller, the demo's errors, the file tree with Save, runtime settings
// (variables reach the app, secrets stay hidden, sleep, pause, restart) and the log panel.

const SLOW_WORDS = `import { demo, Label, Slider, Textbox } from '@atrium/sandbox/sdk';

console.log('slow words: loaded');

export default demo({
  title: 'Slow words',
  inputs: [
    Textbox({ name: 'text', label: 'Text' }),
    Slider({ name: 'delay', label: 'Delay', minimum: 0, maximum: 1000, step: 10, value: 250 }),
  ],
  outputs: [Textbox({ name: 'echo', label: 'Echo' }), Label({ name: 'size', label: 'Size' })],
  concurrencyLimit: 1,
  fn: async function* ({ text, delay }) {
    console.log(\`slow words: called with \${text}\`);
    if (text === 'boom') throw new Error('the demo refused: boom');
    const prefix = process.env.PREFIX ?? '';
    const words = text.split(' ');
    let echo = '';
    for (const word of words) {
      echo += (echo ? ' ' : '') + word;
      await new Promise((r) => setTimeout(r, delay));
      const long = Math.min(1, echo.length / 40);
      yield { echo: prefix + echo, size: { long, short: 1 - long } };
    }
  },
});
`;

describe.skipIf(!hasBrowser() || !hasDocker())('the Space page against a real sandboxed app', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: TestUser;
  let bob: TestUser;
  let space: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let a: Page;
  let b: Page;

  const pageAs = (user: TestUser): Promise<Page> =>
    openPageAs(browser, server.url, user, { contexts, errors });
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: screenshotPath(`space-page-${name}`), fullPage: true });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...bearer(alice.token), 'content-type': 'application/json', ...(init.headers ?? {}) },
    });

  /** Every distinct text the output showed while a call ran, in order. */
  const recordOutput = (page: Page, name: string) =>
    page.evaluate((output) => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      const target = document.querySelector(`[data-output="${output}"]`);
      if (!target) throw new Error(`no output ${output}`);
      new MutationObserver(() => {
        const text = target.querySelector('.demo-text')?.textContent ?? '';
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(target, { subtree: true, childList: true, characterData: true });
    }, name);
  const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);

  /** A Space of Alice's running SLOW_WORDS: one all tests read, and one more for each test that changes it. */
  async function slowWordsSpace(name: string): Promise<string> {
    const made = await api('/api/spaces/from-template', {
      method: 'POST',
      body: JSON.stringify({ template: 'blank-space', name }),
    });
    expect(made.status).toBe(201);
    const commit = await fetch(`${server.url}/api/spaces/${alice.name}/${name}/commit/main`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/x-ndjson' },
      body: [
        JSON.stringify({ key: 'header', value: { summary: 'Slow words' } }),
        JSON.stringify({
          key: 'file',
          value: { path: 'app.ts', content: Buffer.from(SLOW_WORDS).toString('base64'), encoding: 'base64' },
        }),
      ].join('\n'),
    });
    expect(commit.ok).toBe(true);
    return `${alice.name}/${name}`;
  }

  beforeAll(async () => {
    requireClientDist();
    ensureImage();
    server = await startSandboxServer('runc');
    browser = await launchBrowser();
    // One after the other: the first person to sign up is the instance admin.
    alice = await createUser(server.url);
    bob = await createUser(server.url);
    space = await slowWordsSpace('slow-words');
    [a, b] = await Promise.all([pageAs(alice), pageAs(bob)]);
  }, 600_000);

  // Each test answers for the page errors it caused.
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('shows outputs as they stream, word by word, and the Label as bars', async () => {
    await a.goto(`/spaces/${space}`);
    await waitForStageBadge(a, 'RUNNING');
    await a.getByRole('heading', { name: 'Slow words', exact: true }).waitFor();
    await a.getByLabel('Text').fill('one two three four five');
    await recordOutput(a, 'echo');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-streaming').waitFor();
    await shot(a, 'streaming');
    await a.locator('.demo-done').waitFor();
    const seen = await recorded(a);
    expect(seen).toEqual([
      'one',
      'one two',
      'one two three',
      'one two three four',
      'one two three four five',
    ]);
    const bars = await a
      .locator('.demo-confidence')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')));
    // 23 characters of 40: mostly long, highest first.
    expect(bars).toEqual(['long', 'short']);
    await shot(a, 'streamed');
  });

  it("shows a second caller its place in the queue, then its result; and the demo's errors", async () => {
    await Promise.all([a.goto(`/spaces/${space}`), b.goto(`/spaces/${space}`)]);
    await waitForStageBadge(a, 'RUNNING');
    await waitForStageBadge(b, 'RUNNING');
    await a.getByLabel('Text').fill('a b c d e f g h');
    await b.getByLabel('Text').fill('second caller');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-streaming').waitFor();
    await b.getByRole('button', { name: 'Submit' }).click();
    await b.locator('.demo-queued', { hasText: 'In queue: position 1' }).waitFor();
    await shot(b, 'queued');
    await b.locator('.demo-done').waitFor({ timeout: 60_000 });
    expect(await b.locator('[data-output="echo"] .demo-text').textContent()).toBe('second caller');
    await a.locator('.demo-done').waitFor();
    // The function throws: the page says why, and the app keeps working.
    await a.getByLabel('Text').fill('boom');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-error', { hasText: 'the demo refused: boom' }).waitFor();
    await shot(a, 'error');
    await a.getByLabel('Text').fill('fine again');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-done').waitFor();
  });

  it('creates, renames and deletes files in the tree; Save commits them; a reader cannot edit', async () => {
    const files = await slowWordsSpace('slow-words-files');
    await a.goto(`/spaces/${files}/files`);
    await a.locator('.monaco-host[data-file="app.ts"] .view-line').first().waitFor();
    a.on('dialog', (d) => void d.accept());
    await a.getByRole('button', { name: '+ New file' }).click();
    await a.getByLabel('New file name').fill('notes.md');
    await a.getByRole('button', { name: 'Create', exact: true }).click();
    await a.locator('.monaco-host[data-ready="notes.md"] .view-lines').click();
    await a.keyboard.type('# Notes', { delay: 5 });
    await a.keyboard.press('Enter');
    await a.keyboard.press('Enter');
    await a.keyboard.type('Written in the browser.', { delay: 5 });
    await expect.poll(() => a.locator('.monaco-host .view-line').count()).toBe(3);
    await a.getByRole('button', { name: 'Rename notes.md' }).click();
    await a.getByLabel('New name for notes.md').fill('docs/notes.md');
    await a.getByRole('button', { name: 'Rename', exact: true }).click();
    await a.locator('.file-tree-item', { hasText: 'docs/notes.md' }).waitFor();
    await a.getByRole('button', { name: 'Delete README.md' }).click();
    await expect
      .poll(() => a.locator('.file-tree-item').allTextContents())
      .toEqual(['app.ts', 'docs/notes.md']);
    await shot(a, 'file-tree');
    // Bob may look but not change anything.
    await b.goto(`/spaces/${files}/files`);
    await b.locator('.file-tree-item', { hasText: 'docs/notes.md' }).waitFor();
    expect(await b.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await b.getByRole('button', { name: '+ New file' }).count()).toBe(0);
    await b.getByText('Read only').waitFor();

    await a.getByRole('button', { name: 'Save' }).click();
    await a.locator('.space-saved').waitFor();
    const tree = (await (await api(`/api/spaces/${files}/tree/main`)).json()) as { path: string }[];
    const paths = tree.map((e) => e.path);
    expect(paths).toContain('app.ts');
    expect(paths).toContain('docs');
    expect(paths).not.toContain('README.md');
    expect(paths).not.toContain('notes.md');
    const notes = await (await fetch(`${server.url}/spaces/${files}/resolve/main/docs/notes.md`)).text();
    expect(notes).toBe('# Notes\n\nWritten in the browser.');
  }, 240_000);

  it('sets a variable the app sees, keeps a secret hidden, sets sleep, pauses and restarts', async () => {
    const knobs = await slowWordsSpace('slow-words-knobs');
    await a.goto(`/spaces/${knobs}/runtime`);
    await a.locator('input[name=variable-key]').fill('PREFIX');
    await a.locator('input[name=variable-value]').fill('>> ');
    await a.getByRole('button', { name: 'Add variable' }).click();
    await a.locator('.kv-list code', { hasText: 'PREFIX' }).waitFor();
    await a.locator('input[name=secret-key]').fill('API_KEY');
    await a.locator('input[name=secret-value]').fill('s3cr3t-value');
    await a.getByRole('button', { name: 'Add secret' }).click();
    await a.locator('.kv-list li', { hasText: 'API_KEY' }).getByText('hidden').waitFor();
    expect(await a.content()).not.toContain('s3cr3t-value');
    await a.locator('select[name=sleep-time]').selectOption('3600');
    await expect
      .poll(
        async () =>
          ((await (await api(`/api/spaces/${knobs}/runtime`)).json()) as { gcTimeout: number }).gcTimeout,
      )
      .toBe(3600);
    await shot(a, 'settings');

    // The app restarted with the variable in its environment.
    await a.goto(`/spaces/${knobs}`);
    await waitForStageBadge(a, 'RUNNING');
    await a.getByLabel('Text').fill('hello');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-done').waitFor();
    expect(await a.locator('[data-output="echo"] .demo-text').textContent()).toBe('>> hello');

    // Pause, then restart, from the settings.
    await a.goto(`/spaces/${knobs}/runtime`);
    await a.getByRole('button', { name: 'Pause' }).click();
    await waitForStageBadge(a, 'PAUSED');
    await b.goto(`/spaces/${knobs}`);
    await b.getByText('The owner paused this Space.').waitFor();
    await a.getByRole('button', { name: 'Restart' }).click();
    await waitForStageBadge(a, 'RUNNING');
    await waitForStageBadge(b, 'RUNNING');
    await b.getByRole('heading', { name: 'Slow words', exact: true }).waitFor();
  }, 240_000);

  it('shows a static Space in a sandboxed frame, and live edits to its page after Save', async () => {
    const made = await api('/api/spaces/from-template', {
      method: 'POST',
      body: JSON.stringify({ template: 'static-space', name: 'plain-page' }),
    });
    expect(made.status).toBe(201);
    await a.goto(`/spaces/${alice.name}/plain-page`);
    await a.locator('.sdk-badge', { hasText: 'static' }).waitFor();
    const frame = a.frameLocator('iframe.static-app');
    await frame.getByRole('heading', { name: 'Hello from a static Space' }).waitFor();
    expect(await a.locator('iframe.static-app').getAttribute('sandbox')).not.toContain('allow-same-origin');
    await a.goto(`/spaces/${alice.name}/plain-page/files`);
    await a.locator('.file-tree-item', { hasText: 'index.html' }).click();
    await a
      .locator('.monaco-host[data-file="index.html"] .view-line', { hasText: 'Hello from a static Space' })
      .click();
    await a.keyboard.press('End');
    for (let i = 0; i < '</h1>'.length; i++) await a.keyboard.press('ArrowLeft');
    await a.keyboard.type(', edited');
    await a.getByRole('button', { name: 'Save' }).click();
    await a.locator('.space-saved').waitFor();
    await a.goto(`/spaces/${alice.name}/plain-page`);
    await frame.getByRole('heading', { name: 'Hello from a static Space, edited' }).waitFor();
    await shot(a, 'static');
  });

  it('streams the build and container logs into the log panel', async () => {
    await a.goto(`/spaces/${space}/logs`);
    await a
      .locator('.log-lines[data-kind="run"] .log-line', { hasText: 'slow words: loaded' })
      .first()
      .waitFor();
    await a.getByRole('tab', { name: 'Build logs' }).click();
    await a.locator('.log-lines[data-kind="build"] .log-line').first().waitFor();
    await shot(a, 'logs');
    // A call while the panel is open appears live.
    await a.getByRole('tab', { name: 'Container logs' }).click();
    await a.locator('.log-lines[data-kind="run"] .log-line').first().waitFor();
    const call = await api(`/spaces/${space}/app/gradio_api/call/predict`, {
      method: 'POST',
      body: JSON.stringify({ data: ['live line', 0] }),
    });
    expect(call.status).toBe(200);
    await a.locator('.log-line', { hasText: 'slow words: called with live line' }).waitFor();
  });

  it('lets an anonymous visitor run the app and read the files, and nothing more', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const guest = await context.newPage();
    guest.on('pageerror', (err) => errors.push(`guest: ${err.message}`));
    await guest.goto(`/spaces/${space}`);
    await waitForStageBadge(guest, 'RUNNING');
    await guest.getByLabel('Text').fill('from a guest');
    await guest.getByRole('button', { name: 'Submit' }).click();
    await guest.locator('.demo-done').waitFor();
    expect(await guest.locator('[data-output="echo"] .demo-text').textContent()).toBe('from a guest');
    expect(await guest.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await guest.getByRole('button', { name: 'Duplicate' }).count()).toBe(0);
    expect(await guest.locator('.like-button').isDisabled()).toBe(true);
    await guest.getByRole('link', { name: 'Files' }).click();
    await guest.locator('.monaco-host[data-file="app.ts"] .view-line').first().waitFor();
    await guest.getByText('Read only').waitFor();
    expect(await guest.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await shot(guest, 'guest-files');
    await guest.goto('/spaces/nobody/nothing-here');
    await guest.getByText('No Space called “nobody/nothing-here” exists, or it is private.').waitFor();
  });

  it('sleeps when nobody looks, and a visit to the page wakes it', async () => {
    const nap = await slowWordsSpace('slow-words-nap');
    // Nobody on the Space's pages (they ask for the runtime every second, which counts as a visit).
    await Promise.all([a.goto('about:blank'), b.goto('about:blank')]);
    const slept = await api(`/api/spaces/${nap}/sleeptime`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 2 }),
    });
    expect(slept.status).toBe(200);
    // The build log (SSE, no visit) says when it went to sleep: after its build, then 2 s (a generous tripwire).
    const log = await api(`/api/spaces/${nap}/logs/build`, { signal: AbortSignal.timeout(120_000) });
    const reader = log.body?.getReader();
    let text = '';
    while (reader && !text.includes('without visitors')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader?.cancel();
    expect(text).toContain('Sleeping after 2 s without visitors');
    await a.goto(`/spaces/${nap}`);
    const first = await a
      .locator('.stage-badge[data-stage]:not([data-stage="UNKNOWN"])')
      .getAttribute('data-stage');
    expect(first).not.toBe('RUNNING');
    await waitForStageBadge(a, 'RUNNING');
    await a.getByLabel('Text').fill('awake');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.demo-done').waitFor();
    expect(await a.locator('[data-output="echo"] .demo-text').textContent()).toBe('awake');
  }, 240_000);
});
