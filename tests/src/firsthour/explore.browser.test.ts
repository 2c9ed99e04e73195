import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  launchBrowser,
  openPageAs,
  screenshotPath,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

describe.skipIf(!hasBrowser())('a newcomer finds demos on a fresh instance', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: TestUser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  /** A page as an anonymous visitor (no cookies). */
  async function anonymous(): Promise<Page> {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => errors.push(`anonymous: ${err.message}`));
    return page;
  }
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: screenshotPath(`firsthour-${name}`), fullPage: true });

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer({ seed: true });
    alice = await createUser(server.url);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
    expect(errors).toEqual([]);
  });

  it('shows trending seeded Spaces and notebooks on the home page to an anonymous visitor', async () => {
    const page = await anonymous();
    await page.goto('/');
    const spaces = page.locator('.section').filter({ hasText: 'Trending Spaces' });
    await spaces.getByRole('link', { name: /atrium\/sentiment-analysis/ }).waitFor();
    expect(await spaces.locator('.repo-item').count()).toBe(5);
    const notebooks = page.locator('.section').filter({ hasText: 'Trending notebooks' });
    await notebooks.getByRole('link', { name: /atrium\/translation/ }).waitFor();
    expect(await page.getByText('No Spaces yet').count()).toBe(0);
    await shot(page, 'home');
    await notebooks.getByRole('link', { name: /atrium\/translation/ }).click();
    await page.waitForURL('**/notebooks/atrium/translation');
  });

  it('lists models, Spaces and notebooks at /models, /spaces and /notebooks, searched as you type', async () => {
    const page = await anonymous();
    for (const [path, heading, id] of [
      ['/models', 'Models', 'atrium/tiny-qa-bert'],
      ['/spaces', 'Spaces', 'atrium/question-answering'],
      ['/notebooks', 'Notebooks', 'atrium/question-answering'],
    ] as const) {
      const res = await page.goto(path);
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByText(id).first().waitFor();
    }
    await page.goto('/spaces');
    await page.locator('.space-card').nth(4).waitFor();
    // No Enter: the list narrows as the words arrive, by title as well as id.
    await page.getByRole('searchbox', { name: 'Search spaces' }).pressSequentially('Sentiment Analysis');
    await page.waitForURL(/search=Sentiment\+Analysis/);
    await expect.poll(() => page.locator('.space-card').count()).toBe(1);
    expect(await page.locator('.space-card').getAttribute('data-space')).toBe('atrium/sentiment-analysis');
    await shot(page, 'spaces-search');
  });

  it('filters each list by task and keeps the filter in the address', async () => {
    const page = await anonymous();
    await page.goto('/notebooks');
    await page.locator('.repo-item').nth(4).waitFor();
    await page.getByRole('button', { name: 'Translation' }).click();
    await page.waitForURL(/task=translation/);
    await expect.poll(() => page.locator('.repo-item').count()).toBe(1);
    await page.getByText('atrium/translation').waitFor();
    // The filter travels to the other kinds.
    await page.getByRole('navigation', { name: 'Kind' }).getByRole('link', { name: 'Models' }).click();
    await page.waitForURL(/\/models\?task=translation/);
    await expect.poll(() => page.locator('.repo-item').count()).toBe(1);
    await page.getByText('atrium/tiny-marian-en-fr').waitFor();
    await shot(page, 'models-translation');
  });

  it('offers to create the kind being listed: a notebook on the Notebooks tab', async () => {
    const page = await openPageAs(browser, server.url, alice, { contexts, errors });
    await page.goto('/notebooks');
    await page.getByRole('link', { name: '+ New notebook' }).waitFor();
    expect(await page.getByRole('link', { name: '+ New Space' }).count()).toBe(0);
    await page.goto('/spaces');
    await page.getByRole('link', { name: '+ New Space' }).waitFor();
  });

  it('welcomes a new account as new, not back', async () => {
    const page = await anonymous();
    await page.goto('/signup');
    const name = `newcomer-${Date.now().toString(36)}`;
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password').fill('long enough password');
    await page.getByRole('main').getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: `Welcome to Atrium, ${name}` }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Welcome back, ${name}` }).waitFor();
  });

  it('suggests matches in the header search as you type, and Enter opens every result on its own page', async () => {
    const page = await anonymous();
    await page.goto('/');
    const box = page.getByRole('combobox', { name: 'Search' });
    await box.pressSequentially('translation');
    const options = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
    await options.first().waitFor();
    const texts = await options.allTextContents();
    expect(texts.some((t) => t.includes('atrium/translation'))).toBe(true);
    expect(texts.some((t) => t.includes('atrium/tiny-marian-en-fr'))).toBe(true);
    await shot(page, 'header-suggestions');
    await box.press('Enter');
    await page.waitForURL(/\/search\?search=translation$/);
    // The results stand alone: the home page's lists are not under them.
    await page.getByRole('heading', { name: 'Results for “translation”' }).waitFor();
    await page.getByRole('link', { name: /atrium\/tiny-marian-en-fr/ }).waitFor();
    expect(await page.getByText('Trending Spaces').count()).toBe(0);
    // Arrows pick a suggestion, Enter opens it.
    await box.fill('');
    await box.pressSequentially('question');
    await options.filter({ hasText: 'atrium/tiny-qa-bert' }).waitFor();
    expect(await options.filter({ hasText: 'translation' }).count()).toBe(0);
    await box.press('ArrowDown');
    const picked = page.getByRole('option', { selected: true });
    const id = /atrium\/[a-z-]+/.exec((await picked.textContent()) ?? '')?.[0] ?? 'none';
    await box.press('Enter');
    await page.waitForURL(new RegExp(`${id}$`));
  });
});
