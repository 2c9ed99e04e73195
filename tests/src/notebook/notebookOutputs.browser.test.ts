/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  hasDocker,
  screenshotPath,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
  useBrowserSuite,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';
import { createNotebook, kernelCall, notebookOf, openNotebook, outputsOf } from './notebookClient.js';

// What a notebook shows and how its page behaves: images, errors at the cell's own lines, typeset
// math, long outputs in a scroll box, a toolbar that stays in view, the type menu, a confirmed restart.
describe.skipIf(!hasBrowser() || !hasDocker())('notebook page: outputs, toolbar and keys', () => {
  let server: TestServer;
  let owner: TestUser;
  /** Console messages about the Content-Security-Policy: math and outputs must need no exception. */
  const cspReports: string[] = [];
  const suite = useBrowserSuite(() => server.url, { trapNativeDialogs: true, freshContexts: true });

  async function open(id: string): Promise<Page> {
    const page = await suite.pageAs(owner);
    page.on('console', (m) => {
      // Chromium reports an inline handler it meets while DOMPurify parses (inert, then removed): not a breach.
      if (/Content.Security.Policy|Refused to/i.test(m.text()) && !/inline event handler/.test(m.text()))
        cspReports.push(m.text());
    });
    await openNotebook(page, id);
    return page;
  }
  const run = (id: string, cells: string[]) => kernelCall(server.url, owner.token, id, 'run', { cells });

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    await server.services.runtime.whenReady();
    owner = await createUser(server.url, uniqueName('ada'));
  });
  afterEach(async () => {
    expect(cspReports.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('draws the image of the image-classification template where it says "The image is drawn here"', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('colours'), {
      template: 'image-classification',
    });
    const page = await open(id);
    expect((await kernelCall(server.url, owner.token, id, 'run', { all: true })).status).toBe(202);
    const drawn = page.locator('[data-testid="cell"]', { hasText: 'display.png(png)' });
    const image = drawn.locator('img.nb-output-image');
    await image.waitFor({ timeout: 120_000 });
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
      .toEqual([128, 128]);
    // The labels follow the image, in the same cell.
    await expect
      .poll(() => drawn.getByTestId('outputs').textContent(), { timeout: 120_000 })
      .toContain('blue');
    await drawn.screenshot({ path: screenshotPath('notebook-image-drawn') });
  });

  it('reports an error at the line and column of the cell as the person sees it', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('lines'), {
      notebook: notebookOf([
        'null.boom',
        'const a: number = 1;\nfunction f() {\n  throw new Error("inside f");\n}',
        'f()',
      ]),
    });
    const page = await open(id);
    expect((await run(id, ['c0'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c0').textContent(), { timeout: 60_000 }).toContain('TypeError');
    const first = (await outputsOf(page, 'c0').textContent()) ?? '';
    expect(first).toMatch(/cell-\d+\.ts:1:6/);
    expect(first).not.toMatch(/cell-\d+\.ts:[2-9]/);
    expect((await run(id, ['c1', 'c2'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c2').textContent(), { timeout: 60_000 }).toContain('inside f');
    // The function's frame names the line of the cell that defined it.
    expect(await outputsOf(page, 'c2').textContent()).toMatch(/at f \(cell-\d+\.ts:3:9\)/);
  });

  it('typesets LaTeX in markdown cells with KaTeX, under the page’s CSP', async () => {
    const nb = notebookOf([]);
    nb.cells.push({
      cell_type: 'markdown',
      id: 'm0',
      source:
        'Euler: $e^{i\\pi} + 1 = 0$, and a fraction:\n\n$$\\frac{a+b}{\\sqrt{c}}$$\n\nBroken: $\\frac{1$ and <img src=x onerror="window.__pwned=1">',
      metadata: {},
      outputs: [],
      execution_count: null,
    });
    const id = await createNotebook(server.url, owner, uniqueName('math'), { notebook: nb });
    const page = await open(id);
    const cell = page.locator('[data-cell-id="m0"]');
    await cell.locator('.katex').first().waitFor();
    await cell.screenshot({ path: screenshotPath('notebook-latex') });
    expect(await cell.locator('.katex').count()).toBeGreaterThanOrEqual(2);
    expect(await cell.locator('.katex-display').count()).toBe(1);
    // KaTeX's own sizes survive the sanitizer (struts), its MathML stays for screen readers, the
    // square root's SVG is drawn, and its fonts load from the page's own origin.
    expect(await cell.locator('.katex-html .strut').first().getAttribute('style')).toMatch(/height:/);
    expect(await cell.locator('math').count()).toBeGreaterThanOrEqual(2);
    expect(await cell.locator('.sqrt svg').count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true);
    // Typeset, not source: the displayed fraction stands taller than a line of the paragraph's text.
    const fraction = await cell.locator('.katex-display .katex-html').boundingBox();
    const line = await cell.locator('p').first().boundingBox();
    expect(fraction?.height ?? 0).toBeGreaterThan(1.5 * (line?.height ?? 0));
    // A formula KaTeX cannot read shows as an error in place; HTML around it is still sanitized.
    expect(await cell.locator('.katex-error').count()).toBe(1);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('shows a 2,000-line output in a scroll box of bounded height, unfolded on request', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('huge'), {
      notebook: notebookOf([
        'for (let i = 0; i < 2000; i++) console.log(`line ${i}`);',
        'console.log("short")',
      ]),
    });
    const page = await open(id);
    expect((await run(id, ['c0', 'c1'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c0').textContent(), { timeout: 60_000 }).toContain('line 1999');
    await expect.poll(() => outputsOf(page, 'c1').textContent(), { timeout: 60_000 }).toContain('short');
    const area = page.locator('[data-cell-id="c0"] [data-testid="output-area"]');
    const box = () => area.evaluate((el) => ({ client: el.clientHeight, scroll: el.scrollHeight }));
    const scrolled = await box();
    expect(scrolled.client).toBeLessThan(600);
    expect(scrolled.scroll).toBeGreaterThan(10_000);
    // A short output is not boxed.
    expect(await page.locator('[data-cell-id="c1"] .nb-outputs-scrolled').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('notebook-huge-output') });
    await page.locator('[data-cell-id="c0"]').getByRole('button', { name: 'Show all output' }).click();
    await expect.poll(async () => (await box()).client).toBeGreaterThan(10_000);
    await page.locator('[data-cell-id="c0"]').getByRole('button', { name: 'Scroll long output' }).click();
    await expect.poll(async () => (await box()).client).toBeLessThan(600);
  });

  it('keeps the toolbar in view just below the site header when the notebook scrolls', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('long'), {
      notebook: notebookOf(Array.from({ length: 40 }, (_, i) => `// cell ${i}\nconst v${i} = ${i};`)),
    });
    const page = await open(id);
    const toolbar = page.getByRole('toolbar', { name: 'Notebook' });
    await page.mouse.wheel(0, 3000);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    const header = await page.locator('.navbar').boundingBox();
    const bar = await toolbar.boundingBox();
    expect(header && bar).toBeTruthy();
    if (!header || !bar) return;
    // Below the header, touching it: not under it, not scrolled away.
    expect(bar.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
    expect(bar.y).toBeLessThan(header.y + header.height + 4);
    const onTop = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest('[role="toolbar"]') !== null,
      { x: bar.x + 20, y: bar.y + bar.height / 2 },
    );
    expect(onTop).toBe(true);
    await page.screenshot({ path: screenshotPath('notebook-sticky-toolbar') });
  });

  it('shows the new type in the cell-type menu after m and y', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('types'), {
      notebook: notebookOf(['1', '2']),
    });
    const page = await open(id);
    const menu = page.getByRole('toolbar', { name: 'Notebook' }).getByLabel('Cell type');
    await page.locator('[data-cell-id="c1"] .cm-content').click();
    await page.keyboard.press('Escape');
    expect(await menu.inputValue()).toBe('code');
    await page.keyboard.press('m');
    await expect.poll(() => menu.inputValue()).toBe('markdown');
    await page.keyboard.press('y');
    await expect.poll(() => menu.inputValue()).toBe('code');
    await page.keyboard.press('r');
    await expect.poll(() => menu.inputValue()).toBe('raw');
    // Moving to another cell shows that cell's type.
    await page.keyboard.press('k');
    await expect.poll(() => menu.inputValue()).toBe('code');
  });

  it('asks before restarting the kernel, and keeps it when the person cancels', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('restart'), {
      notebook: notebookOf(['globalThis.kept = 41; "set"', 'typeof kept === "number" ? kept + 1 : "gone"']),
    });
    const page = await open(id);
    expect((await run(id, ['c0'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c0').textContent(), { timeout: 60_000 }).toContain('set');
    const toolbar = page.getByRole('toolbar', { name: 'Notebook' });
    await toolbar.getByRole('button', { name: /Restart/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restart the kernel?' });
    await dialog.waitFor();
    await page.screenshot({ path: screenshotPath('notebook-restart-confirm') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await run(id, ['c1'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c1').textContent(), { timeout: 60_000 }).toContain('42');

    await toolbar.getByRole('button', { name: /Restart/ }).click();
    const restarted = page.waitForResponse((r) => r.url().endsWith(`/api/notebooks/${id}/restart`));
    await dialog.getByRole('button', { name: 'Restart' }).click();
    expect((await restarted).status()).toBeLessThan(300);
    expect((await run(id, ['c1'])).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c1').textContent(), { timeout: 60_000 }).toContain('gone');
  });
});
