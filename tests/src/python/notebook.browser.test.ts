/// <reference lib="dom.iterable" />
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  hasDocker,
  launchBrowser,
  openPageAs,
  screenshotPath,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { createNotebook, kernelCall, openNotebook, outputsOf } from '../notebook/notebookClient.js';
import { requireClientDist } from '../shell/clientDist.js';
import { ensurePythonImage, startPythonServer } from './pythonTesting.js';

// Published by Hugging Face (../shared/fixtures/README.md), read in place, never copied.
const FIXTURE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/notebooks/course--en--chapter1--section3.ipynb',
);

const TRAIN_AND_PLOT = [
  'from sklearn.datasets import make_classification',
  'from sklearn.linear_model import LogisticRegression',
  'import matplotlib.pyplot as plt',
  'X, y = make_classification(n_samples=200, n_features=2, n_redundant=0, random_state=0)',
  'model = LogisticRegression().fit(X, y)',
  'print(f"accuracy {model.score(X, y):.2f}")',
  'plt.scatter(X[:, 0], X[:, 1], c=model.predict(X))',
  'plt.show()',
].join('\n');
const TQDM =
  'from tqdm import tqdm\nimport time\nfor _ in tqdm(range(40), file=__import__("sys").stdout):\n    time.sleep(0.02)';

/** A Python notebook with these code cells (ids p0, p1, …). */
const pythonNotebook = (sources: string[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: sources.map((source, i) => ({
    cell_type: 'code',
    id: `p${i}`,
    source,
    metadata: {},
    outputs: [],
    execution_count: null,
  })),
});

describe.skipIf(!hasBrowser() || !hasDocker())('Python notebooks in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: TestUser;
  let collaborator: TestUser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const pageAs = (user: TestUser) =>
    openPageAs(browser, server.url, user, { contexts, errors, timeoutMs: 60_000 });

  beforeAll(async () => {
    requireClientDist();
    ensurePythonImage();
    server = await startPythonServer('runc', { executionTimeoutS: 300 });
    browser = await launchBrowser();
    owner = await createUser(server.url, uniqueName('ada'));
    collaborator = await createUser(server.url, uniqueName('bob'));
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    expect(errors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the imported Hugging Face course notebook as Python with its published outputs', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('course'), {
      notebook: JSON.parse(fs.readFileSync(FIXTURE, 'utf8')),
    });
    const page = await pageAs(owner);
    await openNotebook(page, `${id}?eager=1`);
    await expect.poll(() => page.locator('[data-testid="kernel-language"]').inputValue()).toBe('python');
    // The published result of the sentiment cell is there before anything runs.
    await expect
      .poll(() => page.locator('[data-testid="outputs"]').first().textContent())
      .toContain('POSITIVE');
    // The cell editors are CodeMirror with lang-python (looked at in the screenshot).
    await page.locator('.cm-content').first().waitFor();
    await page.screenshot({ path: screenshotPath('python-course-notebook'), fullPage: false });
  });

  it('runs scikit-learn and matplotlib, and a second writer sees the figure arrive', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('plot'), {
      notebook: pythonNotebook([TRAIN_AND_PLOT]),
    });
    const put = await fetch(`${server.url}/api/notebooks/${id}/collaborators/${collaborator.name}`, {
      method: 'PUT',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'write' }),
    });
    expect(put.status).toBeLessThan(300);
    const [a, b] = await Promise.all([pageAs(owner), pageAs(collaborator)]);
    await Promise.all([openNotebook(a, id), openNotebook(b, id)]);
    await a.locator('[data-cell-id="p0"] .cm-content').click();
    await a.keyboard.press('Shift+Enter');
    const figure = b.locator('[data-cell-id="p0"] [data-testid="outputs"] img');
    await figure.waitFor({ timeout: 240_000 });
    expect(await figure.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => outputsOf(b, 'p0').textContent()).toContain('accuracy');
    await b.screenshot({ path: screenshotPath('python-figure-second-user') });
  });

  it('shows a tqdm loop as one line updated in place', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('tqdm'), {
      notebook: pythonNotebook([TQDM]),
    });
    const page = await pageAs(owner);
    await openNotebook(page, id);
    expect((await kernelCall(server.url, owner.token, id, 'run', { cells: ['p0'] })).status).toBe(202);
    await expect.poll(() => outputsOf(page, 'p0').textContent(), { timeout: 240_000 }).toContain('40/40');
    const text = (await outputsOf(page, 'p0').locator('pre').first().textContent()) ?? '';
    // One progress line (tqdm redrew it ~40 times with \r), not forty.
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('100%');
    await page.screenshot({ path: screenshotPath('python-tqdm-one-line') });
  });

  it('completes `pipe` to `pipeline` with Tab once transformers is imported', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('tab'), {
      notebook: pythonNotebook(['from transformers import pipeline', '']),
    });
    const page = await pageAs(owner);
    await openNotebook(page, id);
    expect((await kernelCall(server.url, owner.token, id, 'run', { cells: ['p0'] })).status).toBe(202);
    await expect
      .poll(() => page.locator('[data-cell-id="p0"] [data-testid="prompt"]').textContent(), {
        timeout: 240_000,
      })
      .toBe('[1]');
    await page.locator('[data-cell-id="p1"] .cm-content').click();
    await page.keyboard.type('pipe');
    await page.keyboard.press('Tab');
    // One match is applied at once; several open the list, where Enter takes the first.
    const list = page.locator('.cm-tooltip-autocomplete');
    if (await list.isVisible().catch(() => false)) {
      await page
        .locator('.cm-tooltip-autocomplete li', { hasText: /^pipeline$/ })
        .first()
        .click();
    }
    await expect.poll(() => page.locator('[data-cell-id="p1"] .cm-content').textContent()).toBe('pipeline');
    await page.screenshot({ path: screenshotPath('python-tab-completion') });
  });
});
