// A newcomer's first minute on a fresh instance, in headless Chromium: the home page, the top Space,
// a sentence typed and its result (the Space asleep since seeding: wake-up included), beside the same
// steps once the Space is awake; the model page's Try it widget, first result cold and warm.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Atrium, loadConfig, startAtrium } from '@atrium/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { median, printTable } from '../lib/stats.js';

const RUNS = Number(process.env.RUNS ?? 5);
const SENTENCE = 'I love this wonderful film!';

/** A fresh data directory and a server as `npm start` makes it: seeded, sandboxes from the built image. */
async function freshInstance(): Promise<{ atrium: Atrium; startMs: number; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-firsthour-'));
  const started = performance.now();
  const atrium = await startAtrium(
    loadConfig({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_LOG_LEVEL: 'warn',
      ATRIUM_DATA_DIR: dataDir,
      ATRIUM_INSTANCE_ID: `bench-firsthour-${process.pid}-${Date.now()}`,
    }),
  );
  const startMs = performance.now() - started;
  await atrium.services.runtime.whenReady();
  if (atrium.services.runtime.image.state !== 'present') throw new Error('the sandbox image is not ready');
  return {
    atrium,
    startMs,
    stop: async () => {
      await atrium.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function anonymousPage(
  browser: Browser,
  url: string,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  return { page, close: () => context.close() };
}

/** Home page → the first trending Space → type → Submit → the result shown; ms. */
async function visitTopSpace(browser: Browser, url: string): Promise<{ ms: number; space: string }> {
  const { page, close } = await anonymousPage(browser, url);
  try {
    const started = performance.now();
    await page.goto('/');
    const top = page
      .locator('.section')
      .filter({ hasText: 'Trending Spaces' })
      .locator('a.repo-item')
      .first();
    const space = (await top.locator('strong').textContent()) ?? '?';
    await top.click();
    await page.getByLabel('Text').fill(SENTENCE);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.locator('.demo-done').waitFor();
    return { ms: performance.now() - started, space };
  } finally {
    await close();
  }
}

/** The model page's Try it widget: open, type, first result shown; ms. */
async function tryModel(browser: Browser, url: string, model: string, input: string): Promise<number> {
  const { page, close } = await anonymousPage(browser, url);
  try {
    const started = performance.now();
    await page.goto(`/${model}`);
    const widget = page.getByRole('region', { name: 'Try this model' });
    await widget.getByLabel(input).fill('the cat is in the house');
    await widget.getByRole('button', { name: 'Submit' }).click();
    await widget.locator('.demo-done').waitFor();
    return performance.now() - started;
  } finally {
    await close();
  }
}

export async function benchVisitor() {
  const browser = await chromium.launch({
    executablePath: process.env.ATRIUM_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const figures = { start: [] as number[], cold: [] as number[], warm: [] as number[] };
  const widget = { cold: [] as number[], warm: [] as number[] };
  let top = '?';
  try {
    for (let i = 0; i < RUNS; i++) {
      const instance = await freshInstance();
      try {
        figures.start.push(instance.startMs);
        const cold = await visitTopSpace(browser, instance.atrium.url);
        top = cold.space;
        figures.cold.push(cold.ms);
        figures.warm.push((await visitTopSpace(browser, instance.atrium.url)).ms);
        // Another task's Space, still asleep: the widget's first result includes its wake-up.
        widget.cold.push(await tryModel(browser, instance.atrium.url, 'atrium/tiny-marian-en-fr', 'English'));
        widget.warm.push(await tryModel(browser, instance.atrium.url, 'atrium/tiny-marian-en-fr', 'English'));
      } finally {
        await instance.stop();
      }
    }
  } finally {
    await browser.close();
  }
  const ms = (v: number[]) => median(v).toFixed(0);
  printTable(
    `A newcomer's first result on a fresh instance, headless Chromium, ${RUNS} fresh instances (median ms)`,
    ['step', 'fresh (Space asleep since seeding)', 'peer: the same, Space awake', 'ratio', 'goal'],
    [
      [
        `home → top Space (${top}) → type → result`,
        ms(figures.cold),
        ms(figures.warm),
        (median(figures.cold) / median(figures.warm)).toFixed(2),
        '≤ 3000',
      ],
      [
        'model page Try it (translation) → first result',
        ms(widget.cold),
        ms(widget.warm),
        (median(widget.cold) / median(widget.warm)).toFixed(2),
        '≤ 2000',
      ],
      ['first start with seeding (startAtrium)', ms(figures.start), '', '', ''],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchVisitor();
