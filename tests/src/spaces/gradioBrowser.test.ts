import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spaceAppPath } from '@atrium/protocol';
import { demo, Label, Number as Num, Textbox } from '@atrium/sandbox/sdk';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  launchBrowser,
  screenshotPath,
  startTestServer,
  type TestServer,
} from '../harness/index.js';

/** The browser build of the unmodified @gradio/client, served to the page as an ES module. */
const clientBundle = fs.readFileSync(
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('@gradio/client/package.json')),
    'dist/browser.js',
  ),
);

const WORDS = ['Streaming', ' into', ' the', ' browser', ' one', ' token', ' at', ' a', ' time'];

describe.runIf(hasBrowser())('Gradio-compatible API from a browser', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await server.services.gradio.register(
      'alice/writer',
      new InProcessDemoBackend(
        demo({
          async *fn({ words }) {
            let text = '';
            for (const word of WORDS.slice(0, words)) {
              await new Promise((r) => setTimeout(r, 20));
              text += word;
              yield { text };
            }
          },
          inputs: [Num({ name: 'words', value: 9 })],
          outputs: [Textbox({ name: 'text' })],
        }),
      ),
    );
    await server.services.gradio.register(
      'alice/sentiment',
      new InProcessDemoBackend(
        demo({
          fn: ({ text }) => ({
            label: {
              POSITIVE: text.includes('love') ? 0.8 : 0.3,
              NEGATIVE: text.includes('love') ? 0.2 : 0.7,
            },
          }),
          inputs: [Textbox({ name: 'text' })],
          outputs: [Label({ name: 'label' })],
        }),
      ),
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('streams tokens into a page with the browser build of @gradio/client and predicts labels', async () => {
    const page = await browser.newPage();
    await page.route(`${server.url}/__test/gradio.js`, (route) =>
      route.fulfill({ body: clientBundle, contentType: 'text/javascript' }),
    );
    await page.route(`${server.url}/__test/page.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          '<!doctype html><title>gradio client</title><h1>@gradio/client in Chromium</h1><pre id="out"></pre><p id="label"></p>' +
          '<script type="module">import { Client } from "/__test/gradio.js"; window.GradioClient = Client;</script>',
      }),
    );
    await page.goto(`${server.url}/__test/page.html`);
    await page.waitForFunction(() => 'GradioClient' in window);
    const result = await page.evaluate(
      async ({ writer, sentiment }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the client's browser bundle, set by the page
        const Client = (window as any).GradioClient;
        const out = document.getElementById('out') as HTMLElement;
        const client = await Client.connect(writer);
        const partials: string[] = [];
        for await (const message of client.submit('/predict', { words: 9 })) {
          if (message.type !== 'data') continue;
          partials.push(message.data[0]);
          out.textContent = message.data[0];
        }
        const labeller = await Client.connect(sentiment);
        const label = (await labeller.predict('/predict', ['I love this'])).data[0];
        (document.getElementById('label') as HTMLElement).textContent =
          `${label.label}: ${label.confidences.map((c: { label: string; confidence: number }) => `${c.label} ${c.confidence}`).join(', ')}`;
        return { partials, label };
      },
      {
        writer: `${server.url}${spaceAppPath('alice/writer')}`,
        sentiment: `${server.url}${spaceAppPath('alice/sentiment')}`,
      },
    );
    const expected = WORDS.map((_, i) => WORDS.slice(0, i + 1).join(''));
    expect(result.partials).toEqual([...expected, expected.at(-1)]);
    expect(result.label).toEqual({
      label: 'POSITIVE',
      confidences: [
        { label: 'POSITIVE', confidence: 0.8 },
        { label: 'NEGATIVE', confidence: 0.2 },
      ],
    });
    expect(await page.locator('#out').textContent()).toBe('Streaming into the browser one token at a time');
    await page.screenshot({ path: screenshotPath('gradio-browser-client') });
    await page.close();
  });

  it('works for a signed-in page that passes its CSRF token in the client headers, and refuses one that does not', async () => {
    const user = await createUser(server.url);
    const context = await browser.newContext();
    await context.addCookies(
      user.cookie.split('; ').map((pair) => {
        const [name, value] = pair.split('=') as [string, string];
        return { name, value, url: server.url };
      }),
    );
    const page = await context.newPage();
    await page.route(`${server.url}/__test/gradio.js`, (route) =>
      route.fulfill({ body: clientBundle, contentType: 'text/javascript' }),
    );
    await page.route(`${server.url}/__test/page.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<script type="module">import { Client } from "/__test/gradio.js"; window.GradioClient = Client;</script>',
      }),
    );
    await page.goto(`${server.url}/__test/page.html`);
    await page.waitForFunction(() => 'GradioClient' in window);
    const outcome = await page.evaluate(
      async (app) => {
        // biome-ignore lint/suspicious/noExplicitAny: the client's browser bundle, set by the page
        const Client = (window as any).GradioClient;
        const csrf = document.cookie.match(/atrium_csrf=([^;]+)/)?.[1] ?? '';
        const withToken = await Client.connect(app, { headers: { 'X-CSRF-Token': csrf } });
        const ok = (await withToken.predict('/predict', ['I love it'])).data[0].label;
        const without = await Client.connect(app);
        const refused = await without.predict('/predict', ['I love it']).then(
          () => 'accepted',
          (err: Error) => err.message,
        );
        return { ok, refused };
      },
      `${server.url}${spaceAppPath('alice/sentiment')}`,
    );
    expect(outcome).toEqual({
      ok: 'POSITIVE',
      refused: expect.stringContaining('CSRF') as unknown as string,
    });
    await context.close();
  });
});
