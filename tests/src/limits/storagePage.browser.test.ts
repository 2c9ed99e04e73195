import { randomBytes } from 'node:crypto';
import { createRepo, uploadFiles } from '@huggingface/hub';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  launchBrowser,
  openPageAs,
  screenshotPath,
  startTestServer,
  type TestServer,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

// The storage a user's repositories hold, against their quota, is visible in Settings → Storage.
describe.skipIf(!hasBrowser())('Settings → Storage in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer({ seed: false, storageQuotaBytes: 1024 * 1024 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows what the user holds of their quota, with a bar', async () => {
    const user = await createUser(server.url);
    const hub = { hubUrl: server.url, accessToken: user.token };
    const repo = { type: 'model' as const, name: `${user.name}/weights` };
    await createRepo({ ...hub, repo });
    await uploadFiles({
      ...hub,
      repo,
      files: [{ path: 'w.bin', content: new Blob([randomBytes(600 * 1024)]) }],
    });
    const page = await openPageAs(browser, server.url, user, { contexts, errors });
    await page.goto('/settings/storage');
    const line = page.getByText(new RegExp(`^${user.name}: 6\\d\\d kB of 1\\.05 MB`));
    await line.waitFor();
    const bar = page.getByRole('progressbar', { name: `${user.name} used` });
    expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(600 * 1024);
    expect(await page.getByText(/^Uploads: 0 B of 67\.1 MB/).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('settings-storage'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
