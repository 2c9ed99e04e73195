/// <reference lib="dom.iterable" />
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
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';
import {
  createNotebook,
  kernelCall,
  notebookOf,
  openNotebook as openCells,
  outputsOf,
} from './notebookClient.js';

const PRINT_2S =
  'for (let i = 0; i < 10; i++) {\n  console.log(`line ${i}`);\n  await new Promise((r) => setTimeout(r, 200));\n}';
const FOREVER =
  'let n = 0;\nwhile (true) {\n  console.log(`tick ${n++}`);\n  await new Promise((r) => setTimeout(r, 100));\n}';
const RICH = [
  'display(display.html("<b id=\\"bold\\">bold</b><img src=x onerror=\\"window.__pwned=1\\"><script>window.__pwned=2</script>"));',
  'display(display.json({ model: "gpt2", sizes: [1, 2, 3], nested: { deep: true } }));',
  'display(display.vegaLite({ data: { values: [{ x: "a", y: 3 }, { x: "b", y: 7 }] }, mark: "bar", encoding: { x: { field: "x", type: "nominal" }, y: { field: "y", type: "quantitative" } } }));',
  'const h = display("progress 0%"); for (let p = 25; p <= 100; p += 25) { await new Promise((r) => setTimeout(r, 50)); h.update(`progress ${p}%`); }',
  'throw new TypeError("\\u001b[31mbad input\\u001b[0m");',
].join('\n');

/** The text of one cell's CodeMirror editor, line by line. */
const editorText = (page: Page, cell: string) =>
  page.locator(`[data-cell-id="${cell}"] .cm-line`).evaluateAll((lines) =>
    lines
      .map((line) => {
        // Remote carets are widgets inside the line: leave their name labels out.
        const copy = line.cloneNode(true) as HTMLElement;
        for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
        return (copy.textContent ?? '').replaceAll('\u2060', '');
      })
      .join('\n'),
  );
describe.skipIf(!hasBrowser() || !hasDocker())('notebook page: two people, one kernel, live outputs', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: TestUser;
  let collaborator: TestUser;
  let viewer: TestUser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const pageAs = (user: TestUser): Promise<Page> =>
    openPageAs(browser, server.url, user, { contexts, errors });

  async function openNotebook(page: Page, which: string) {
    await openCells(page, which);
    await page.locator('[data-cell-id="c0"] .cm-content').waitFor();
  }

  /**
   * What most tests start from, made for each: the owner's notebook (an empty cell, a 2 s run, an endless
   * run, rich outputs, a markdown cell), the collaborator a writer, open in the owner's page `a` and the
   * collaborator's page `b`.
   */
  async function sharedNotebook() {
    const nb = notebookOf(['', PRINT_2S, FOREVER, RICH]);
    nb.cells.push({
      cell_type: 'markdown',
      id: 'm0',
      source: '# Heading\n\nSome *markdown* text.',
      metadata: {},
      outputs: [],
      execution_count: null,
    });
    const id = await createNotebook(server.url, owner, uniqueName('shared'), { notebook: nb });
    const put = await fetch(`${server.url}/api/notebooks/${id}/collaborators/${collaborator.name}`, {
      method: 'PUT',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'write' }),
    });
    expect(put.status).toBeLessThan(300);
    const [a, b] = await Promise.all([pageAs(owner), pageAs(collaborator)]);
    await Promise.all([openNotebook(a, id), openNotebook(b, id)]);
    return { id, a, b };
  }

  /** Runs the 2 s cell (c1) through the API and waits until `page` shows all of its lines. */
  async function ranTwoSecondCell(id: string, page: Page) {
    expect((await kernelCall(server.url, owner.token, id, 'run', { cells: ['c1'] })).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'c1').textContent(), { timeout: 60_000 }).toContain('line 9');
  }

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    await server.services.runtime.whenReady();
    browser = await launchBrowser();
    owner = await createUser(server.url, uniqueName('ada'));
    collaborator = await createUser(server.url, uniqueName('bob'));
    viewer = await createUser(server.url, uniqueName('val'));
  });
  // Each test closes the pages it opened and answers for the errors they raised.
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('converges when both type in the same cell at once, showing each other’s named cursor', async () => {
    const { a, b } = await sharedNotebook();
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await b.locator('[data-cell-id="c0"] .cm-content').click();
    await Promise.all([
      a.keyboard.type('const fromAda = 1;', { delay: 15 }),
      b.keyboard.type('const fromBob = 2;', { delay: 15 }),
    ]);
    await expect
      .poll(async () => [await editorText(a, 'c0'), await editorText(b, 'c0')], { timeout: 10_000 })
      .toSatisfy(([x, y]) => x === y && x.includes('const fromAda = 1;') && x.includes('const fromBob = 2;'));
    // Each sees the other's caret labelled with their name.
    await expect.poll(() => b.locator('.cm-ySelectionInfo').allTextContents()).toContain(owner.name);
    await expect.poll(() => a.locator('.cm-ySelectionInfo').allTextContents()).toContain(collaborator.name);
    await expect.poll(() => a.getByTestId('presence').textContent()).toContain(`${collaborator.name}cell 1`);
    await a.screenshot({ path: screenshotPath('notebook-converged-ada') });
    await b.screenshot({ path: screenshotPath('notebook-converged-bob') });
  });

  it('undoes only one’s own typing (undo per user)', async () => {
    const { a, b } = await sharedNotebook();
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await a.keyboard.type('const fromAda = 1;');
    await expect.poll(() => editorText(b, 'c0')).toContain('const fromAda = 1;');
    // Edits closer than 500 ms apart are one undo step (Y.UndoManager's captureTimeout): the next burst
    // must start later than that. The pause is the feature's defined window, not a guess at a duration.
    await a.waitForTimeout(600);
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' // by Ada');
    await b.locator('[data-cell-id="c0"] .cm-content').click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type(' // by Bob');
    await expect.poll(() => editorText(a, 'c0')).toContain('// by Bob');
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await a.keyboard.press('Control+z');
    await expect.poll(() => editorText(b, 'c0')).not.toContain('// by Ada');
    expect(await editorText(b, 'c0')).toContain('// by Bob');
    expect(await editorText(a, 'c0')).toContain('// by Bob');
    // One undo takes back one burst of typing, not everything Ada ever typed.
    expect(await editorText(a, 'c0')).toContain('const fromAda = 1;');
  });

  it('shows a 2 s run’s lines in the other browser before it ends, and who ran it', async () => {
    const { a, b } = await sharedNotebook();
    await a.locator('[data-cell-id="c1"] .cm-content').click();
    await a.keyboard.press('Shift+Enter');
    const out = outputsOf(b, 'c1');
    await expect.poll(() => out.textContent(), { timeout: 60_000 }).toContain('line 1');
    const early = (await out.textContent()) ?? '';
    expect(early).not.toContain('line 9');
    await expect
      .poll(() => b.locator('[data-cell-id="c1"] [data-testid="prompt"]').textContent())
      .toBe('[*]');
    expect(await b.getByTestId('kernel-state').getAttribute('data-state')).toBe('busy');
    await b.screenshot({ path: screenshotPath('notebook-streaming-seen-by-bob') });
    await expect.poll(() => out.textContent(), { timeout: 10_000 }).toContain('line 9');
    await expect
      .poll(() => b.locator('[data-cell-id="c1"] [data-testid="prompt"]').textContent())
      .toMatch(/^\[\d+\]$/);
    expect(await b.locator('[data-cell-id="c1"] [data-testid="ran-by"]').textContent()).toContain(owner.name);
  });

  it('lets the other person interrupt a cell someone else started', async () => {
    const { a, b } = await sharedNotebook();
    await a.locator('[data-cell-id="c2"] .cm-content').click();
    await a.keyboard.press('Control+Enter');
    await expect.poll(() => outputsOf(b, 'c2').textContent(), { timeout: 30_000 }).toContain('tick 3');
    await b.getByRole('button', { name: /Interrupt/ }).click();
    await expect
      .poll(() => a.locator('[data-cell-id="c2"] [data-testid="prompt"]').textContent(), { timeout: 10_000 })
      .toMatch(/^\[\d+\]$/);
    await expect.poll(() => a.locator('[data-cell-id="c2"] .nb-output-error').count()).toBe(1);
    await expect.poll(() => a.getByTestId('kernel-state').getAttribute('data-state')).toBe('idle');
    await a.screenshot({ path: screenshotPath('notebook-interrupted-ada') });
  });

  it('renders rich outputs: sanitized HTML, collapsible JSON, progress updated in place, readable errors', async () => {
    const { a, b } = await sharedNotebook();
    await b.locator('[data-cell-id="c3"] .cm-content').click();
    await b.keyboard.press('Control+Enter');
    const cell = a.locator('[data-cell-id="c3"]');
    await cell.locator('.nb-output-error').waitFor({ timeout: 30_000 });
    expect(await cell.locator('#bold').textContent()).toBe('bold');
    expect(await a.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await cell.locator('.nb-output-json details').count()).toBeGreaterThan(0);
    await expect.poll(() => cell.locator('.nb-output-text').allTextContents()).toContain('progress 100%');
    const error = (await cell.locator('.nb-output-error').textContent()) ?? '';
    expect(error).toContain('TypeError');
    expect(error).toContain('bad input');
    expect(error).not.toContain('\u001b');
    await cell.locator('.nb-output-chart svg').waitFor();
    await cell.screenshot({ path: screenshotPath('notebook-rich-outputs') });
  });

  it('keeps outputs across a reload, after the browser that ran them is gone', async () => {
    const { id, a } = await sharedNotebook();
    await a.locator('[data-cell-id="c1"] .cm-content').click();
    await a.keyboard.press('Shift+Enter');
    await expect.poll(() => outputsOf(a, 'c1').textContent(), { timeout: 60_000 }).toContain('line 9');
    await a.context().close();
    const later = await pageAs(owner);
    await openNotebook(later, id);
    await expect.poll(() => outputsOf(later, 'c1').textContent()).toContain('line 9');
    expect(await later.locator('[data-cell-id="c1"] [data-testid="ran-by"]').textContent()).toContain(
      owner.name,
    );
    await later.screenshot({ path: screenshotPath('notebook-after-reload'), fullPage: true });
  });

  it('follows Jupyter’s command-mode shortcuts: b, a, m, y, dd, Enter, Esc', async () => {
    const { a, b } = await sharedNotebook();
    const count = () => a.getByTestId('cell').count();
    const before = await count();
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await a.keyboard.press('Escape');
    await a.keyboard.press('b');
    await expect.poll(count).toBe(before + 1);
    const fresh = a.locator('[data-testid="cell"]').nth(1);
    await a.keyboard.press('m');
    await expect.poll(() => fresh.getAttribute('class')).toContain('nb-cell-markdown');
    await a.keyboard.press('y');
    await expect.poll(() => fresh.getAttribute('class')).toContain('nb-cell-code');
    await a.keyboard.press('a');
    await expect.poll(count).toBe(before + 2);
    await a.keyboard.press('d');
    await a.keyboard.press('d');
    await expect.poll(count).toBe(before + 1);
    await a.keyboard.press('Enter');
    await a.keyboard.type('1 + 41');
    await a.keyboard.press('Shift+Enter');
    await expect
      .poll(
        async () =>
          (await b.locator('[data-testid="cell"]').nth(1).locator('[data-testid="outputs"]').textContent()) ??
          '',
        { timeout: 20_000 },
      )
      .toContain('42');
    // Shift+Enter moved the selection to the next cell, in command mode.
    await expect.poll(() => a.locator('.nb-selected').getAttribute('data-cell-id')).toBe('c1');
    await a.screenshot({ path: screenshotPath('notebook-shortcuts') });
  });

  it('saves the notebook as a commit and shows it in the history', async () => {
    const { id, a } = await sharedNotebook();
    await ranTwoSecondCell(id, a);
    await a.getByLabel('Commit message').fill('First save from the page');
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    await a.getByRole('button', { name: 'History' }).click();
    await a.getByRole('complementary', { name: 'History' }).getByText('First save from the page').waitFor();
    const commits = (await (
      await fetch(`${server.url}/api/notebooks/${id}/commits/main`, { headers: bearer(owner.token) })
    ).json()) as { title: string }[];
    expect(commits[0]?.title).toBe('First save from the page');
    const saved = await (
      await fetch(`${server.url}/notebooks/${id}/resolve/main/notebook.ipynb`, {
        headers: bearer(owner.token),
      })
    ).json();
    expect(JSON.stringify(saved)).toContain('line 9');
    await a.screenshot({ path: screenshotPath('notebook-history') });
    await a.getByRole('button', { name: 'History' }).click();
  });

  it('lets a viewer without write access read everything but neither edit nor run', async () => {
    const { id, a } = await sharedNotebook();
    await ranTwoSecondCell(id, a);
    const v = await pageAs(viewer);
    await openNotebook(v, id);
    await v.getByText('Read only').waitFor();
    await expect.poll(() => outputsOf(v, 'c1').textContent()).toContain('line 9');
    expect(await v.getByRole('button', { name: /Run all/ }).isDisabled()).toBe(true);
    expect(await v.locator('[data-cell-id="c0"] .cm-content').getAttribute('contenteditable')).toBe('false');
    const before = await editorText(a, 'c0');
    await v.locator('[data-cell-id="c0"] .cm-content').click();
    await v.keyboard.type('hacked');
    await v.keyboard.press('Shift+Enter');
    await v.keyboard.press('Escape');
    await v.keyboard.press('b');
    // The viewer's presence travels after anything it sent before: once the owner sees it at cell 4,
    // an edit or a new cell from the viewer would have arrived too.
    await v.locator('[data-cell-id="c3"] .cm-content').click();
    await expect.poll(() => a.getByTestId('presence').textContent()).toContain(`${viewer.name}cell 4`);
    expect(await editorText(a, 'c0')).toBe(before);
    expect(await v.getByTestId('cell').count()).toBe(await a.getByTestId('cell').count());
    const res = await v.request.post(`/api/notebooks/${id}/run`, {
      data: { all: true },
      headers: { 'x-csrf-token': viewer.csrf },
    });
    expect(res.status()).toBe(403);
    await v.screenshot({ path: screenshotPath('notebook-viewer'), fullPage: false });
  });

  it('creates a notebook from an uploaded .ipynb through the page', async () => {
    const a = await pageAs(owner);
    const name = uniqueName('imported');
    const nb = notebookOf(['console.log("imported")']);
    nb.cells.unshift({
      cell_type: 'markdown',
      id: 'title',
      source: '# Imported title',
      metadata: {},
      outputs: [],
      execution_count: null,
    });
    await a.goto('/notebooks/new');
    await a.getByLabel('Notebook name').fill(name);
    await a.getByLabel(/Import an .ipynb/).setInputFiles({
      name: 'mine.ipynb',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(nb)),
    });
    await a.getByRole('button', { name: 'Create notebook' }).click();
    await a.waitForURL(`**/notebooks/${owner.name}/${name}`);
    await a.getByRole('heading', { name: 'Imported title' }).waitFor();
    // The heading comes with the page; the cell's text arrives with the live document just after.
    await expect.poll(() => editorText(a, 'c0')).toBe('console.log("imported")');
    await a.goto('/notebooks/new');
    await a.getByLabel('Notebook name').fill(uniqueName('broken'));
    await a.getByLabel(/Import an .ipynb/).setInputFiles({
      name: 'bad.ipynb',
      mimeType: 'application/json',
      buffer: Buffer.from('{"nbformat": 3, "cells": []}'),
    });
    await a.getByRole('button', { name: 'Create notebook' }).click();
    await expect.poll(() => a.getByRole('alert').textContent()).toContain('nbformat 3');
  });

  it('renames, forks and deletes a notebook through dialogs on the page, keeping unsaved edits across the rename', async () => {
    const [a, b] = await Promise.all([pageAs(owner), pageAs(collaborator)]);
    const name = uniqueName('moving');
    const own = await createNotebook(server.url, owner, name, { notebook: notebookOf(['']) });
    await openNotebook(a, own);
    await a.locator('[data-cell-id="c0"] .cm-content').click();
    await a.keyboard.type('const unsaved = true;');
    const renamed = `${name}-renamed`;
    await a.getByRole('button', { name: 'Rename' }).click();
    await a
      .getByRole('dialog')
      .getByLabel(/New name/)
      .fill(renamed);
    await a.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await a.waitForURL(`**/notebooks/${owner.name}/${renamed}`);
    await a.locator('[data-cell-id="c0"] .cm-content').waitFor();
    // The editor shows before the renamed room has synced its content: poll, do not read once.
    await expect.poll(() => editorText(a, 'c0')).toBe('const unsaved = true;');
    // Bob forks it into his own namespace.
    await b.goto(`/notebooks/${owner.name}/${renamed}`);
    await b.locator('[data-cell-id="c0"] .cm-content').waitFor();
    await b.getByRole('button', { name: 'Fork' }).click();
    await b
      .getByRole('dialog')
      .getByLabel(/Name of your copy/)
      .fill(`${renamed}-copy`);
    await b.getByRole('dialog').getByRole('button', { name: 'Fork' }).click();
    await b.waitForURL(`**/notebooks/${collaborator.name}/${renamed}-copy`);
    await b.locator('[data-cell-id="c0"] .cm-content').waitFor();
    await expect.poll(() => editorText(b, 'c0')).toBe('const unsaved = true;');
    await a.getByRole('button', { name: 'Delete notebook' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Delete notebook' }).click();
    await a.waitForURL((url) => url.pathname === '/');
    const gone = await fetch(`${server.url}/api/notebooks/${owner.name}/${renamed}`, {
      headers: bearer(owner.token),
    });
    expect(gone.status).toBe(404);
  });
});
