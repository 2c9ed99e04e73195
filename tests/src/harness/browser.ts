import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
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

/** A page in a fresh browser context carrying `user`'s session cookies, as if they had logged in. */
export async function openPageAs(
  browser: Browser,
  baseUrl: string,
  user: TestUser,
  options: PageOptions,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  options.contexts.push(context);
  await context.addCookies(
    user.cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
    }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 30_000);
  page.on('pageerror', (err) => options.errors.push(`${user.name}: ${err.message}`));
  return page;
}
