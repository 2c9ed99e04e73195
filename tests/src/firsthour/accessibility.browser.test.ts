import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  hasDocker,
  type TestServer,
  type TestUser,
  useBrowserSuite,
  waitForStageBadge,
} from '../harness/index.js';
import { createNotebook, notebookOf, openNotebook, outputsOf } from '../notebook/notebookClient.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { requireClientDist } from '../shell/clientDist.js';
import { spaceWithApp } from '../spaces/runtimeTesting.js';

// Issue 17, part 6: the main pages have no serious or critical accessibility violations as axe-core
// (the engine behind Lighthouse's and the browsers' accessibility audits) finds them: labels, roles,
// names, contrast, keyboard reachability. Each page is checked once it shows what it is for.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule axe found broken, with where. */
interface Violation {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * The serious and critical violations on the page as it is now. axe-core goes in through the
 * DevTools protocol (the page's CSP forbids injected script tags, not the debugger).
 */
async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        rule: v.id,
        impact: v.impact ?? '',
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}

/** Opens `path`, waits for `ready`, and expects no serious or critical violation there. */
async function expectAccessible(page: Page, path: string, ready: (page: Page) => Promise<unknown>) {
  await page.goto(path);
  await ready(page);
  expect(await seriousViolations(page), `axe on ${path}`).toEqual([]);
}

/** Elements that say they are controls by their role: each must take the focus too. */
const ROLE_CONTROLS = '[role=button], [role=link], [role=tab], [role=checkbox], [role=switch], [role=slider]';

/**
 * The controls of the page that Tab should reach (visible, enabled, not taken out of the tab order;
 * of a radio group only the checked one, as browsers do) and which of them Tab never focused while
 * going once round the page. `within` narrows the controls looked at to part of the page.
 */
async function unreachableByTab(page: Page, within = 'body'): Promise<string[]> {
  const count = await page.evaluate(
    ([scope, ROLE_CONTROLS]) => {
      const controls = [
        ...document.querySelectorAll<HTMLElement>(
          `${scope} :is(a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), ${ROLE_CONTROLS})`,
        ),
      ].filter((el) => {
        if (!el.checkVisibility() || el.matches(':disabled, [tabindex="-1"], [type=hidden]')) return false;
        if (el instanceof HTMLInputElement && el.type === 'radio' && el.name)
          return el.checked || !document.querySelector(`input[type=radio][name="${el.name}"]:checked`);
        return true;
      });
      controls.forEach((el, i) => {
        el.dataset.tabProbe = String(i);
      });
      return controls.length;
    },
    [within, ROLE_CONTROLS] as const,
  );
  const seen = new Set<string>();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Twice the number of controls: enough to go round once even with focusable things between them.
  for (let press = 0; press < count * 2 + 20 && seen.size < count; press++) {
    await page.keyboard.press('Tab');
    const probe = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tabProbe);
    if (probe !== undefined) seen.add(probe);
  }
  return page.evaluate(
    (reached) =>
      [...document.querySelectorAll<HTMLElement>('[data-tab-probe]')]
        .filter((el) => !reached.includes(el.dataset.tabProbe ?? ''))
        .map((el) => el.outerHTML.slice(0, 120)),
    [...seen],
  );
}

const heading = (name: string | RegExp) => (page: Page) =>
  page.getByRole('heading', { name }).first().waitFor();

describe.skipIf(!hasBrowser() || !hasDocker())('accessibility of the main pages (axe-core)', () => {
  let server: TestServer;
  let alice: TestUser;
  let space: string;
  let notebook: string;
  const { pageAs } = useBrowserSuite(() => server.url, { freshContexts: true, timeoutMs: 60_000 });

  beforeAll(async () => {
    requireClientDist();
    ensureImage();
    server = await startSandboxServer('runc', { seed: true });
    alice = await createUser(server.url);
    space = await spaceWithApp(server.url, alice, 'greeter');
    notebook = await createNotebook(server.url, alice, 'tour', { template: 'sentiment-analysis' });
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('finds no serious or critical violation on the pages an anonymous visitor opens', async () => {
    const page = await pageAs(null);
    await expectAccessible(page, '/', (p) => p.locator('.repo-item').first().waitFor());
    // The check sees what it is for: an image without a text alternative is a critical violation.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('img')));
    expect((await seriousViolations(page)).map((v) => v.rule)).toContain('image-alt');
    await expectAccessible(page, '/models', (p) => p.locator('.repo-item').first().waitFor());
    await expectAccessible(page, '/spaces', (p) => p.locator('.space-card').first().waitFor());
    await expectAccessible(page, '/notebooks', (p) => p.locator('.repo-item').first().waitFor());
    await expectAccessible(page, '/atrium/tiny-sentiment-bert', (p) =>
      p.getByRole('region', { name: 'Try this model' }).waitFor(),
    );
    await expectAccessible(page, '/login', heading(/log in/i));
    await expectAccessible(page, '/signup', heading('Join Atrium'));
    await expectAccessible(page, '/nobody-is-called-this', heading('404'));
  }, 240_000);

  it('finds none on any tab of a running Space, for its owner', async () => {
    const page = await pageAs(alice);
    await page.goto(`/spaces/${space}`);
    await waitForStageBadge(page, 'RUNNING');
    await page.getByRole('button', { name: 'Submit' }).waitFor();
    expect(await seriousViolations(page), 'axe on the App tab').toEqual([]);
    await expectAccessible(page, `/spaces/${space}/files`, (p) =>
      p.locator('.monaco-editor').first().waitFor(),
    );
    await expectAccessible(page, `/spaces/${space}/logs`, (p) => p.locator('.log-panel').waitFor());
    await expectAccessible(page, `/spaces/${space}/card`, (p) => p.locator('.repo-card').waitFor());
    await expectAccessible(page, `/spaces/${space}/commits/main`, (p) => p.locator('.commit-list').waitFor());
    await expectAccessible(page, `/spaces/${space}/api`, heading('Use via API'));
    await expectAccessible(page, `/spaces/${space}/forks`, (p) =>
      p.locator('.space-banner .space-title').waitFor(),
    );
    await expectAccessible(page, `/spaces/${space}/settings`, heading('Runtime'));
    await expectAccessible(page, `/spaces/${space}/repository`, heading('Collaborators'));
  }, 300_000);

  it('finds none on a notebook page, for its writer and for an anonymous reader', async () => {
    const writer = await pageAs(alice);
    await openNotebook(writer, notebook);
    expect(await seriousViolations(writer), 'axe on the notebook for its writer').toEqual([]);
    const reader = await pageAs(null);
    await openNotebook(reader, notebook);
    expect(await seriousViolations(reader), 'axe on the notebook for a reader').toEqual([]);
  }, 240_000);

  it('finds none on the forms: new notebook, new Space, tokens and storage settings, new organization', async () => {
    const page = await pageAs(alice);
    await expectAccessible(page, '/notebooks/new', (p) =>
      p.getByRole('button', { name: 'Create notebook' }).waitFor(),
    );
    await expectAccessible(page, '/spaces/new', (p) =>
      p.getByRole('button', { name: 'Create Space' }).waitFor(),
    );
    await expectAccessible(page, '/settings/tokens', heading('Access Tokens'));
    await expectAccessible(page, '/settings/storage', heading('Storage'));
    await expectAccessible(page, '/organizations/new', heading('New organization'));
  }, 240_000);

  it('finds none with a result, the share popover, a dialog, the menus and the search suggestions open', async () => {
    const page = await pageAs(alice);
    await page.goto(`/spaces/${space}`);
    await waitForStageBadge(page, 'RUNNING');
    await page.getByLabel('Your name').fill('Ada');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.locator('.demo-done').waitFor();
    expect(await seriousViolations(page), 'axe with a result').toEqual([]);
    await page.getByRole('button', { name: 'Share' }).click();
    await page.locator('.share-popover').waitFor();
    expect(await seriousViolations(page), 'axe with the share popover').toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('dialog').waitFor();
    expect(await seriousViolations(page), 'axe with the duplicate dialog').toEqual([]);
    await page.keyboard.press('Escape');
    for (const menu of ['Create new', 'User menu']) {
      await page.getByRole('button', { name: menu }).click();
      await page.getByRole('menu').waitFor();
      expect(await seriousViolations(page), `axe with the ${menu} menu`).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'detached' });
    }
    await page.getByRole('combobox', { name: 'Search' }).fill('sentiment');
    await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor();
    expect(await seriousViolations(page), 'axe with the search suggestions').toEqual([]);

    const outputs = await createNotebook(server.url, alice, 'outputs', {
      notebook: notebookOf(["console.log('hello'); ({ answer: 42 })"]),
    });
    await openNotebook(page, outputs);
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => outputsOf(page, 'c0').textContent(), { timeout: 60_000 }).toContain('hello');
    expect(await seriousViolations(page), 'axe on a notebook with outputs').toEqual([]);
  }, 300_000);

  it('reaches every control with the keyboard alone on the home page, a Space, its settings and the new notebook form', async () => {
    const page = await pageAs(alice);
    await page.goto('/');
    await page.locator('.repo-item').first().waitFor();
    expect(await unreachableByTab(page), 'Tab on the home page').toEqual([]);
    // The probe sees what it is for: a "button" that is only a clickable box cannot be reached.
    await page.evaluate(() => {
      const fake = Object.assign(document.createElement('div'), { textContent: 'Fake' });
      fake.setAttribute('role', 'button');
      document.querySelector('main')?.append(fake);
    });
    const missed = await unreachableByTab(page);
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatch(/^<div role="button".*>Fake<\/div>$/);
    await page.goto(`/spaces/${space}`);
    await waitForStageBadge(page, 'RUNNING');
    await page.getByRole('button', { name: 'Submit' }).waitFor();
    expect(await unreachableByTab(page), 'Tab on the Space page').toEqual([]);
    await page.goto(`/spaces/${space}/settings`);
    await page.getByRole('heading', { name: 'Runtime' }).waitFor();
    expect(await unreachableByTab(page), 'Tab on the Space settings').toEqual([]);
    await page.goto('/notebooks/new');
    await page.getByRole('button', { name: 'Create notebook' }).waitFor();
    expect(await unreachableByTab(page), 'Tab on the new notebook form').toEqual([]);
  }, 240_000);

  it("finds none on profiles, Explore, search results and a model's files, a file and its history", async () => {
    const page = await pageAs(alice);
    const model = '/atrium/tiny-sentiment-bert';
    await expectAccessible(page, `/${alice.name}`, (p) => p.locator('.profile-header h1').waitFor());
    await expectAccessible(page, '/atrium', (p) => p.locator('.profile-header h1').waitFor());
    await expectAccessible(page, '/explore', (p) => p.locator('.space-card').first().waitFor());
    await expectAccessible(page, '/search?search=sentiment', (p) =>
      p.locator('.repo-item').first().waitFor(),
    );
    await expectAccessible(page, `${model}/tree/main`, (p) => p.locator('.file-table').waitFor());
    await expectAccessible(page, `${model}/blob/main/README.md`, (p) =>
      p.locator('.file-view .hljs').waitFor(),
    );
    await expectAccessible(page, `${model}/commits/main`, (p) => p.locator('.commit-list').waitFor());
  }, 240_000);
});
