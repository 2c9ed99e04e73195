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
  uniqueName,
} from '../harness/index.js';
import { createNotebook, notebookOf } from '../notebook/notebookClient.js';
import { requireClientDist } from '../shell/clientDist.js';
import { moveRepo, removeCollaborator, setCollaborator, setPrivate } from './accessChanges.js';

describe.skipIf(!hasBrowser())('the notebook page when access changes while it is open', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: TestUser;
  let collaborator: TestUser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  /** The page open on a notebook, with a count of the WebSockets it opens (reconnects show up here). */
  async function openNotebook(user: TestUser, id: string): Promise<{ page: Page; sockets: () => number }> {
    const page = await openPageAs(browser, server.url, user, { contexts, errors });
    let sockets = 0;
    page.on('websocket', (ws) => {
      if (ws.url().includes('/collab/')) sockets++;
    });
    await page.goto(`/notebooks/${id}`);
    await page.locator('[data-testid="cells"][data-synced="true"]').waitFor();
    await page.locator('[data-cell-id="c0"] .cm-content').waitFor();
    return { page, sockets: () => sockets };
  }
  const editable = (page: Page) =>
    page.locator('[data-cell-id="c0"] .cm-content').getAttribute('contenteditable');

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    browser = await launchBrowser();
    await createUser(server.url);
    owner = await createUser(server.url, uniqueName('ada'));
    collaborator = await createUser(server.url, uniqueName('bob'));
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('turns read-only in place when the editor’s role becomes read, then says their access was taken away and stops reconnecting', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('shared'), {
      notebook: notebookOf(['1 + 1']),
    });
    await setPrivate(server.url, owner, 'notebook', id, true);
    await setCollaborator(server.url, owner, 'notebook', id, collaborator.name, 'write');
    const { page, sockets } = await openNotebook(collaborator, id);
    expect(await editable(page)).toBe('true');

    await setCollaborator(server.url, owner, 'notebook', id, collaborator.name, 'read');
    await page.locator('.nb-readonly-badge').waitFor();
    await expect.poll(() => editable(page)).toBe('false');
    expect(await page.getByRole('button', { name: '▶ Run' }).isDisabled()).toBe(true);
    expect(sockets()).toBe(1);
    await page.screenshot({ path: screenshotPath('access-demoted') });

    await removeCollaborator(server.url, owner, 'notebook', id, collaborator.name);
    await page.getByRole('alert').filter({ hasText: 'access to this notebook was taken away' }).waitFor();
    await page.screenshot({ path: screenshotPath('access-revoked') });
    // y-websocket's first retry would come within a few hundred milliseconds: none comes.
    await expect(page.waitForEvent('websocket', { timeout: 1_500 })).rejects.toThrow();
    expect(sockets()).toBe(1);
  });

  it('tells the people on a renamed notebook where it went, and takes them there', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('before'), {
      notebook: notebookOf(['1 + 1']),
    });
    const { page } = await openNotebook(owner, id);
    const to = `${owner.name}/${uniqueName('after')}`;

    await moveRepo(server.url, owner, 'notebook', id, to);
    await page
      .getByRole('alert')
      .filter({ hasText: `was renamed to ${to}` })
      .waitFor();
    await page.getByRole('link', { name: 'Open it under its new name' }).click();
    await page.waitForURL(`**/notebooks/${to}`);
    await page.locator('[data-cell-id="c0"] .cm-content').waitFor();
    expect(await editable(page)).toBe('true');
    expect(errors).toEqual([]);
  });
});
