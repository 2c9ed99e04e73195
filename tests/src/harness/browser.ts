import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { CHROMIUM_PATH } from './requirements.js';
import type { TestUser } from './users.js';

/** Screenshots land here, one PNG per step worth looking at. */
export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test-results/screenshots',
);

/** Debian's Chromium, headless, with nothing that reaches for the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const screenshotPath = (name: string) => path.join(SCREENSHOT_DIR, `${name}.png`);

export interface PageOptions {
  /** Contexts opened here are added, so the suite can close them all. */
  contexts: BrowserContext[];
  /** Uncaught page errors are collected here, labelled with the user's name. */
  errors: string[];
  timeoutMs?: number;
}

/**
 * A page in a fresh browser context carrying `user`'s session cookies, as if they had logged in
 * (`null`: an anonymous visitor).
 */
export async function openPageAs(
  browser: Browser,
  baseUrl: string,
  user: TestUser | null,
  options: PageOptions,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  options.contexts.push(context);
  if (user)
    await context.addCookies(
      user.cookie.split('; ').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
      }),
    );
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 30_000);
  page.on('pageerror', (err) => options.errors.push(`${user?.name ?? 'anonymous'}: ${err.message}`));
  return page;
}

/** What `useBrowserSuite` gives a describe block: its browser, and pages as any user. */
export interface BrowserSuite {
  /** Launched in beforeAll. */
  readonly browser: Browser;
  readonly contexts: BrowserContext[];
  /** Uncaught page errors: after each test there must be none. */
  readonly errors: string[];
  /** With `trapNativeDialogs`: every prompt, confirm or alert a page raised (dismissed): there must be none. */
  readonly nativeDialogs: string[];
  /** A page as `user` (null: anonymous) on the suite's server. */
  pageAs(user: TestUser | null): Promise<Page>;
}

/**
 * The browser half of a browser suite's setup, registered as vitest hooks: Chromium launched before
 * all, no page error (and, with `trapNativeDialogs`, no native dialog: the page must ask in its own)
 * after each test, contexts and browser closed after all. `freshContexts` also closes each test's
 * contexts after it. `url` gives the suite's server, started by the suite itself.
 */
export function useBrowserSuite(
  url: () => string,
  options: { trapNativeDialogs?: boolean; freshContexts?: boolean; timeoutMs?: number } = {},
): BrowserSuite {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const nativeDialogs: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterEach(async () => {
    if (options.freshContexts) for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    expect(errors.splice(0)).toEqual([]);
    expect(nativeDialogs.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close();
  });
  const suite: BrowserSuite = {
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
    contexts,
    errors,
    nativeDialogs,
    async pageAs(user) {
      const page = await openPageAs(suite.browser, url(), user, {
        contexts,
        errors,
        timeoutMs: options.timeoutMs,
      });
      if (options.trapNativeDialogs)
        page.on('dialog', (d) => {
          nativeDialogs.push(`${d.type()}: ${d.message()}`);
          void d.dismiss();
        });
      return page;
    },
  };
  return suite;
}

/** Waits for the Space's stage badge to show `stage` (a build and a start can take a while). */
export const waitForStageBadge = (page: Page, stage: string, timeout = 120_000) =>
  page.locator(`.stage-badge[data-stage="${stage}"]`).waitFor({ timeout });
