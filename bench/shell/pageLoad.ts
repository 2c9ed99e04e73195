// Time from navigation to the rendered Explore page in headless Chromium, cold (fresh profile, empty
// cache) and warm (reload with the hashed bundle cached), Atrium beside `vite preview` in one run.
import { chromium } from 'playwright-core';
import { median, percentile, printTable } from '../lib/stats.js';
import { requireDist, type ShellServer, startAtriumShell, startVitePreview } from './servers.js';

const LOADS = Number(process.env.LOADS ?? 15);

/** One cold load (fresh profile) and one warm reload of Explore, in ms. */
async function loadOnce(browser: import('playwright-core').Browser, server: ShellServer) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const explore = page.getByRole('heading', { name: 'Trending Spaces' });
    let started = performance.now();
    await page.goto(`${server.url}/`);
    await explore.waitFor({ timeout: 15_000 });
    const cold = performance.now() - started;
    started = performance.now();
    await page.reload();
    await explore.waitFor({ timeout: 15_000 });
    return { cold, warm: performance.now() - started };
  } finally {
    await context.close();
  }
}

export async function benchPageLoad() {
  requireDist();
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
  const servers = [await startAtriumShell(), await startVitePreview()];
  try {
    // One unmeasured load each, so neither pays for Chromium's first start; then alternate the two
    // so background noise on the machine falls on both alike.
    for (const s of servers) await loadOnce(browser, s);
    const atrium = { cold: [] as number[], warm: [] as number[] };
    const peer = { cold: [] as number[], warm: [] as number[] };
    for (let i = 0; i < LOADS; i++) {
      for (const [s, into] of [
        [servers[0]!, atrium],
        [servers[1]!, peer],
      ] as const) {
        const t = await loadOnce(browser, s);
        into.cold.push(t.cold);
        into.warm.push(t.warm);
      }
    }
    const row = (label: string, a: number[], b: number[]) => [
      label,
      median(a).toFixed(1),
      percentile(a, 90).toFixed(1),
      median(b).toFixed(1),
      percentile(b, 90).toFixed(1),
      (median(a) / median(b)).toFixed(2),
    ];
    printTable(
      `Explore page rendered in headless Chromium, ${LOADS} loads each (ms)`,
      ['load', 'Atrium median', 'Atrium p90', 'peer: vite preview median', 'peer p90', 'ratio (median)'],
      [
        row('cold (new profile)', atrium.cold, peer.cold),
        row('warm (reload, cached bundle)', atrium.warm, peer.warm),
      ],
    );
  } finally {
    for (const s of servers) await s.stop();
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPageLoad();
