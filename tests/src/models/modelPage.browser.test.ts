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
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

// Model pages in headless Chromium: the seed model's card rendered with its check passed and the
// transformers.js snippet; a thin card shows what it lacks for responsible use.
const THIN_CARD = `---
license: mit
---
# Thin model

## Training data
Some web text.
`;

describe.skipIf(!hasBrowser())('model pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: TestUser;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: screenshotPath(`models-${name}`), fullPage: true });

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer({ seed: true });
    owner = await createUser(server.url);
    const res = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'thin-model',
        files: [{ path: 'README.md', content: Buffer.from(THIN_CARD).toString('base64') }],
      }),
    });
    expect(res.status).toBe(200);
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
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

  it('renders a seed model card with its metadata, a passed check and the transformers.js snippet', async () => {
    await page.goto('/atrium/tiny-sentiment-bert');
    await page.getByRole('heading', { name: 'Limitations and bias' }).waitFor();
    await page.getByRole('heading', { name: 'Card check passed' }).waitFor();
    const snippet = await page.locator('.use-this-model code').textContent();
    expect(snippet).toContain("pipeline('text-classification', 'atrium/tiny-sentiment-bert')");
    expect(snippet).toContain(`env.remoteHost = '${server.url}/'`);
    await expect.poll(() => page.locator('.repo-aside').textContent()).toContain('apache-2.0');
    await shot('seed-card');
  });

  it('lists what a thin card lacks for responsible use', async () => {
    await page.goto(`/${owner.name}/thin-model`);
    await page.getByRole('heading', { name: 'Thin model' }).waitFor();
    await page.getByRole('heading', { name: /Card check: 4 warnings/ }).waitFor();
    const codes = await page
      .locator('.card-check li')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-code')));
    expect(codes).toEqual([
      'missing-pipeline-tag',
      'missing-intended-uses',
      'missing-limitations',
      'missing-evaluation',
    ]);
    await shot('thin-card');
  });
});
