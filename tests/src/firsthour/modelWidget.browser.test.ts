import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, hasDocker, launchBrowser, screenshotPath, type TestServer } from '../harness/index.js';
import { RUNTIMES, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { requireClientDist } from '../shell/clientDist.js';

describe.runIf(hasBrowser() && hasDocker()).each(RUNTIMES)('trying a model on its page (%s)', (runtime) => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    requireClientDist();
    server = await startSandboxServer(runtime, { seed: true });
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (err) => errors.push(err.message));
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    expect(errors).toEqual([]);
  });

  it('labels a sentence typed by an anonymous visitor, as bars with scores and the time it took', async () => {
    const runtimeAsks: string[] = [];
    page.on('request', (r) => {
      if (/\/runtime\b/.test(new URL(r.url()).pathname)) runtimeAsks.push(r.url());
    });
    await page.goto('/atrium/tiny-sentiment-bert');
    const widget = page.getByRole('region', { name: 'Try this model' });
    const tryIt = widget.getByRole('button', { name: 'Try it' });
    await tryIt.waitFor();
    // Viewing the page does not ask for the Space's runtime (which would wake it and keep it awake).
    expect(runtimeAsks).toEqual([]);
    await tryIt.click();
    // The model's Space was asleep: trying it wakes it, then shows its form.
    await widget.getByLabel('Text').fill('I love this wonderful film!');
    await widget.getByRole('button', { name: 'Submit' }).click();
    await widget.locator('.demo-done').waitFor();
    expect(await widget.locator('.demo-label-top').textContent()).toBe('POSITIVE');
    expect(await widget.locator('.demo-confidence').count()).toBe(2);
    expect(await widget.locator('.demo-done').textContent()).toMatch(/^Done in \d+\.\d\d s$/);
    await widget.getByRole('link', { name: 'atrium/sentiment-analysis' }).waitFor();
    // The card's "How to use" names this instance, as the sidebar's snippet does.
    const howTo = (await page.locator('.repo-card pre').first().textContent()) ?? '';
    expect(howTo).toContain(`env.remoteHost = '${server.url}/';`);
    await page.screenshot({ path: screenshotPath(`firsthour-model-widget-${runtime}`), fullPage: true });
  }, 240_000);

  it('lists the Spaces and notebooks using the model', async () => {
    await page.goto('/atrium/tiny-marian-en-fr');
    const usedBy = page.getByRole('region', { name: 'Spaces and notebooks using this model' });
    await usedBy
      .getByRole('link', { name: /atrium\/translation/ })
      .first()
      .waitFor();
    const links = await usedBy.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.sort()).toEqual(['/notebooks/atrium/translation', '/spaces/atrium/translation']);
  });
});
