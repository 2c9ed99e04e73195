import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  hasDocker,
  launchBrowser,
  openPageAs,
  screenshotPath,
  type TestServer,
  type TestUser,
} from '../harness/index.js';
import { createNotebook, notebookOf, openNotebook, outputsOf } from '../notebook/notebookClient.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { requireClientDist } from '../shell/clientDist.js';
import { pushAliceModel } from './pushModel.js';

// What a person sees when a cell needs a model its sandbox does not have yet: the fetch is shown under
// the cell (and stays there as a line saying where the model came from), then the cell's own output.
describe.skipIf(!hasBrowser() || !hasDocker())('a model fetched at run time, in the notebook page', () => {
  let server: TestServer;
  let browser: Browser;
  let user: TestUser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    requireClientDist();
    ensureImage();
    server = await startSandboxServer('runc', { executionTimeoutS: 120 });
    browser = await launchBrowser();
    user = await createUser(server.url);
    await pushAliceModel(server.url, user, 'my-alice');
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the fetch under the cell, then the generated text', async () => {
    const id = await createNotebook(server.url, user, 'fetches-a-model', {
      notebook: notebookOf([
        `import { pipeline } from '@huggingface/transformers';
const model = [${JSON.stringify(user.name)}, 'my-alice'].join('/');
const generate = await pipeline('text-generation', model);
const [out] = await generate('Alice was', { max_new_tokens: 8 });
console.log(out.generated_text);`,
      ]),
    });
    const page = await openPageAs(browser, server.url, user, { contexts, errors, timeoutMs: 30_000 });
    await openNotebook(page, id);
    await page.locator('[data-cell-id="c0"] .cm-content').click();
    await page.keyboard.press('Shift+Enter');
    const outputs = outputsOf(page, 'c0');
    await expect
      .poll(() => outputs.textContent(), { timeout: 90_000 })
      .toContain('Alice was to get very tired');
    const text = (await outputs.textContent()) ?? '';
    expect(text).toMatch(
      new RegExp(`Model ${user.name}/my-alice ready from this Atrium hub: \\d+ files, [\\d.]+ [kM]B in `),
    );
    // The fetch line comes before the cell's own output.
    expect(text.indexOf('ready from')).toBeLessThan(text.indexOf('Alice was to get'));
    await page.locator('[data-cell-id="c0"]').screenshot({ path: screenshotPath('notebook-model-fetched') });
    expect(errors).toEqual([]);
  });
});
