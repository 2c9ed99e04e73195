import { demoApiSnippets, spaceAppPath } from '@atrium/protocol';
import { demo, Label, Textbox } from '@atrium/sandbox/sdk';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  launchBrowser,
  screenshotPath,
  startTestServer,
  type TestServer,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

const sentiment = demo({
  fn: ({ text }) => ({ label: { POSITIVE: text.length % 2, NEGATIVE: 1 - (text.length % 2) } }),
  inputs: [Textbox({ name: 'text', label: 'Text' })],
  outputs: [Label({ name: 'label', label: 'Sentiment' })],
  title: 'Sentiment',
});

describe.skipIf(!hasBrowser())('"Use via API" panel in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let spaceId: string;

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    const owner = await createUser(server.url);
    const res = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'space', name: 'sentiment', sdk: 'atrium' }),
    });
    expect(res.status).toBe(200);
    spaceId = `${owner.name}/sentiment`;
    await server.services.gradio.register(spaceId, new InProcessDemoBackend(sentiment));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the endpoint, its parameters and working snippets for each language', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}/spaces/${spaceId}/api`);
    await page.getByRole('heading', { name: 'Use via API' }).waitFor();
    const appUrl = `${server.url}${spaceAppPath(spaceId)}`;
    const expected = demoApiSnippets(appUrl, sentiment.description);
    await expect(page.locator('.use-via-api').textContent()).resolves.toContain(
      `Endpoint /predict at ${appUrl}`,
    );
    expect(await page.locator('.api-params tbody tr').allTextContents()).toEqual([
      'textTexttextbox (input)',
      'labelSentimentlabel (output)',
    ]);
    expect(await page.locator('.api-snippet').textContent()).toBe(expected.javascript);
    await page.screenshot({ path: screenshotPath('space-use-via-api-js'), fullPage: true });
    await page.getByRole('tab', { name: 'curl' }).click();
    expect(await page.locator('.api-snippet').textContent()).toBe(expected.curl);
    await page.getByRole('tab', { name: 'Python' }).click();
    expect(await page.locator('.api-snippet').textContent()).toBe(expected.python);
    await page.screenshot({ path: screenshotPath('space-use-via-api-python'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the app is not running when no demo is registered', async () => {
    server.services.gradio.unregister(spaceId);
    const page = await browser.newPage();
    await page.goto(`${server.url}/spaces/${spaceId}/api`);
    await page.getByText('The app is not running, so it has no API right now.').waitFor();
    await page.close();
  });
});
