// A real Atrium server (in this process, so the bench can time the kernel itself), two signed-in
// Chromium contexts and notebooks to open. Shared by the notebook benchmarks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createUser,
  launchBrowser,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '@atrium/tests/src/harness/index.js';
import { createNotebook } from '@atrium/tests/src/notebook/notebookClient.js';
import type { Browser, Page } from 'playwright-core';

export interface NotebookBench {
  server: TestServer;
  browser: Browser;
  owner: TestUser;
  friend: TestUser;
  /** A page signed in as `user`, with a viewport like a laptop's. */
  pageAs: (user: TestUser) => Promise<Page>;
  notebook: (nb: unknown) => Promise<string>;
  close: () => Promise<void>;
}

/** A private copy of client/dist, so a rebuild elsewhere during the run cannot break the pages. */
function snapshotClient(): string {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');
  if (!fs.existsSync(path.join(dist, 'index.html')))
    throw new Error('client/dist is missing: run `npm run build -w client` first');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-client-'));
  fs.cpSync(dist, copy, { recursive: true });
  return copy;
}

export async function startNotebookBench(): Promise<NotebookBench> {
  const clientDir = snapshotClient();
  const server = await startTestServer({ clientDir });
  await server.services.runtime.whenReady();
  const browser = await launchBrowser();
  const owner = await createUser(server.url, uniqueName('ada'));
  const friend = await createUser(server.url, uniqueName('bob'));
  const pages: Page[] = [];
  return {
    server,
    browser,
    owner,
    friend,
    pageAs: async (user) => {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1280, height: 900 },
      });
      await context.addCookies(
        user.cookie.split('; ').map((pair) => {
          const at = pair.indexOf('=');
          return { name: pair.slice(0, at), value: pair.slice(at + 1), url: server.url };
        }),
      );
      // tsx (esbuild) wraps named functions in __name(); functions sent to page.evaluate need it too.
      await context.addInitScript('window.__name = (f) => f');
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      pages.push(page);
      return page;
    },
    notebook: async (nb) => {
      const id = await createNotebook(server.url, owner, uniqueName('bench'), { notebook: nb });
      // Public by default; the friend gets write access so both may type and run.
      await fetch(`${server.url}/api/notebooks/${id}/collaborators/${friend.name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'write' }),
      });
      return id;
    },
    close: async () => {
      for (const p of pages) await p.context().close();
      await browser.close();
      await server.stop();
      fs.rmSync(clientDir, { recursive: true, force: true });
    },
  };
}

/** Opens a notebook page and waits until its document has synced and the first editor exists. */
export async function openNotebook(page: Page, id: string, query = ''): Promise<void> {
  await page.goto(`/notebooks/${id}${query}`);
  await page.locator('[data-testid="cells"][data-synced="true"]').waitFor();
  await page.locator('[data-testid="cell"] .cm-content').first().waitFor();
}

/** A wall-clock instant in ms with sub-ms resolution, comparable across pages and this process. */
export const wallClock = () => performance.timeOrigin + performance.now();
