import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  launchBrowser,
  screenshotPath,
  startTestServer,
  type TestServer,
  type TestUser,
  tempDataDir,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

const bigUpload = randomBytes(12 * 1024 * 1024);

const README = `---
license: apache-2.0
tags: [demo]
---
# Sentiment demo

A **tiny** model. <script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">
`;

describe.skipIf(!hasBrowser())('repository pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let alice: TestUser;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: screenshotPath(`hub-${name}`), fullPage: true });
  const api = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** A model of Alice's and its duplicate, made over the API for a test that reads them. */
  async function modelWithDuplicate(name: string) {
    expect((await api('/api/repos/create', { name })).status).toBe(200);
    const dup = await api(`/api/models/${alice.name}/${name}/duplicate`, {
      repository: `${alice.name}/${name}-copy`,
    });
    expect(dup.status).toBe(200);
  }

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    alice = await createUser(server.url);
    const files = [
      { path: 'README.md', content: Buffer.from(README).toString('base64') },
      {
        path: 'src/app.py',
        content: Buffer.from('def greet(name):\n    return f"hello {name}"\n').toString('base64'),
      },
    ];
    const res = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sentiment', files }),
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const cookies = alice.cookie.split('; ').map((c) => {
      const [name, ...v] = c.split('=');
      return { name: name!, value: v.join('='), url: server.url };
    });
    await context.addCookies(cookies);
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  // Each test answers for the page errors it caused.
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('renders the card sanitized, browses and highlights files, shows history, likes, uploads, duplicates and creates', async () => {
    await page.goto(`/${alice.name}/sentiment`);
    await page.getByRole('heading', { name: 'Sentiment demo' }).waitFor();
    expect(await page.locator('.markdown strong').textContent()).toBe('tiny');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(await page.locator('.markdown script').count()).toBe(0);
    await expect.poll(() => page.locator('.repo-aside').textContent()).toContain('apache-2.0');
    await shot('card');

    // Like, and the count survives a reload.
    await page.getByRole('button', { name: /♡ 0/ }).click();
    await page.getByRole('button', { name: /♥ 1/ }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: /♥ 1/ }).waitFor();

    // Files: folder, then a highlighted Python file.
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByRole('link', { name: 'src' }).click();
    await page.getByRole('link', { name: 'app.py' }).click();
    await page.locator('code.hljs .hljs-keyword').first().waitFor();
    expect(await page.locator('code.hljs .hljs-keyword').first().textContent()).toBe('def');
    await shot('file-view');

    // Upload from the web into the root folder.
    await page.getByRole('link', { name: 'Files' }).click();
    // A small file goes inline; a 12 MB one goes through LFS from the browser. Given as files on disk:
    // the same bytes as buffers cross the DevTools protocol in base64, ~40 s for 12 MB on a loaded machine.
    const uploads = tempDataDir('atrium-upload');
    fs.writeFileSync(path.join(uploads, 'notes.txt'), 'uploaded from the browser');
    fs.writeFileSync(path.join(uploads, 'weights.bin'), bigUpload);
    await page
      .locator('input[type=file]')
      .setInputFiles([path.join(uploads, 'notes.txt'), path.join(uploads, 'weights.bin')]);
    await page.getByPlaceholder('Commit message').fill('Add notes from the web');
    await page.getByRole('button', { name: 'Commit upload' }).click();
    await page.getByRole('status').filter({ hasText: 'Committed 2 file' }).waitFor();
    // The browser reads a chosen file when it sends it: the copies on disk go only now.
    fs.rmSync(uploads, { recursive: true, force: true });
    await page.getByRole('link', { name: 'notes.txt' }).waitFor();
    await shot('files');
    const raw = await fetch(`${server.url}/${alice.name}/sentiment/resolve/main/notes.txt`);
    expect(await raw.text()).toBe('uploaded from the browser');
    const tree = (await (
      await fetch(`${server.url}/api/models/${alice.name}/sentiment/tree/main`)
    ).json()) as { path: string; lfs?: { oid: string } }[];
    expect(tree.find((e) => e.path === 'weights.bin')?.lfs?.oid).toBe(
      createHash('sha256').update(bigUpload).digest('hex'),
    );

    // History lists the web commit first.
    await page.getByRole('link', { name: 'History' }).click();
    await page.locator('.commit-list li').first().getByText('Add notes from the web').waitFor();
    expect(await page.locator('.commit-list li').count()).toBe(2);
    await shot('history');

    // Duplicate: the copy says where it came from, and the original lists it.
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.locator('input[name=duplicate-name]').fill('sentiment-copy');
    await page.locator('.duplicate-form').getByRole('button', { name: 'Duplicate' }).click();
    await page.waitForURL(`**/${alice.name}/sentiment-copy`);
    await page.getByText('Duplicated from').waitFor();
    await page.getByRole('link', { name: `${alice.name}/sentiment` }).click();
    await page.getByRole('link', { name: /Duplicates \(1\)/ }).click();
    await page.getByRole('link', { name: `${alice.name}/sentiment-copy` }).waitFor();

    // Create a private Space from the web.
    await page.goto('/new?type=space');
    await page.getByLabel('Name').fill('web-space');
    await page.getByLabel(/Private/).check();
    await page.getByRole('button', { name: 'Create repository' }).click();
    await page.waitForURL(`**/spaces/${alice.name}/web-space`);
    await page.getByText('Private', { exact: true }).waitFor();
    await shot('new-space');
    expect((await fetch(`${server.url}/api/spaces/${alice.name}/web-space`)).status).toBe(404);
  });

  it("lists repositories on Explore, in search results and on the owner's profile", async () => {
    await modelWithDuplicate('listed');
    expect(
      (await api('/api/repos/create', { type: 'space', name: 'listed-space', sdk: 'static' })).status,
    ).toBe(200);
    await page.goto('/');
    const explore = page.locator('.explore-grid');
    await explore
      .getByRole('link', { name: new RegExp(`${alice.name}/listed`) })
      .first()
      .waitFor();
    // An old search address leads to the search page, whose results stand on their own.
    await page.goto(`/?search=${encodeURIComponent('listed-co')}`);
    await page.waitForURL(/\/search\?search=listed-co$/);
    const results = page.locator('.explore-page').filter({ hasText: 'Results for' });
    await results.getByRole('link', { name: new RegExp(`${alice.name}/listed-copy`) }).waitFor();
    expect(await results.locator('.repo-item').count()).toBe(1);
    await page.goto(`/${alice.name}`);
    await page.getByRole('link', { name: new RegExp(`${alice.name}/listed-space`) }).waitFor();
    await page
      .getByRole('link', { name: new RegExp(`${alice.name}/listed(?!-)`) })
      .first()
      .waitFor();
    await shot('profile');
  });

  it('lets the admin add a collaborator, make the repository private and delete a duplicate from Settings', async () => {
    const carol = await createUser(server.url);
    await modelWithDuplicate('guarded');
    await page.goto(`/${alice.name}/guarded`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Collaborator username').fill(carol.name);
    await page.getByLabel('Collaborator role').selectOption('read');
    await page.getByRole('button', { name: 'Add collaborator' }).click();
    await page.locator('.collaborator-list').getByText(carol.name).waitFor();
    await page.getByRole('button', { name: 'Make private' }).click();
    await page.getByRole('button', { name: 'Make public' }).waitFor();
    await shot('settings');
    expect((await fetch(`${server.url}/api/models/${alice.name}/guarded`)).status).toBe(404);
    expect(
      (await fetch(`${server.url}/api/models/${alice.name}/guarded`, { headers: bearer(carol.token) }))
        .status,
    ).toBe(200);

    await page.goto(`/${alice.name}/guarded-copy/settings`);
    await page.getByLabel('Confirm name').fill(`${alice.name}/guarded-copy`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`**/${alice.name}`);
    expect(
      (await fetch(`${server.url}/api/models/${alice.name}/guarded-copy`, { headers: bearer(alice.token) }))
        .status,
    ).toBe(404);
  });

  it('shows a not-found page for a private repository to someone else', async () => {
    const bob = await createUser(server.url);
    await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'secret', private: true }),
    });
    const other = await browser.newContext({ baseURL: server.url });
    await other.addCookies(
      bob.cookie
        .split('; ')
        .map((c) => ({ name: c.split('=')[0]!, value: c.split('=').slice(1).join('='), url: server.url })),
    );
    const p = await other.newPage();
    await p.goto(`/${alice.name}/secret`);
    await p.getByText(/exists, or it is private/).waitFor();
    await other.close();
  });
});
