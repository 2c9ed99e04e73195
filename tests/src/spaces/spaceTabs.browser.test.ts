import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  hasBrowser,
  hasDocker,
  screenshotPath,
  type TestServer,
  type TestUser,
  useBrowserSuite,
  waitForStageBadge,
} from '../harness/index.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { requireClientDist } from '../shell/clientDist.js';
import { api, spaceWithApp, waitForStage } from './runtimeTesting.js';

// The Space page as a whole (issue 17): every tab under the Space's banner, Settings and Repository
// each on its own page, the sleep time the runtime applies, a status line that only moves forward,
// Duplicate as a dialog (private, secrets), errors at the author's line with a way to the logs, and
// tabs that fit a phone.

const ECHO = `import { demo, Textbox } from '@atrium/sandbox/sdk';

export default demo({
  title: 'Echo',
  inputs: [Textbox({ name: 'text', label: 'Text' })],
  outputs: [Textbox({ name: 'echo', label: 'Echo' })],
  fn: async ({ text }: { text: string }) => {
    await new Promise((r) => setTimeout(r, 300));
    return { echo: text };
  },
});
`;

const CRASHING = `type Mood = 'good' | 'bad';
const mood: Mood = 'bad';
throw new Error(\`the mood is \${mood}\`);
`;

describe.skipIf(!hasBrowser() || !hasDocker())('the Space page, its tabs and dialogs', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let space: string;
  const { pageAs } = useBrowserSuite(() => server.url);
  let a: Page;
  let b: Page;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: screenshotPath(`space-tabs-${name}`), fullPage: true });

  /** A Space of Alice's from the blank template with `app` as its app.ts. */
  const aliceSpace = (name: string, app: string) => spaceWithApp(server.url, alice, name, app);

  beforeAll(async () => {
    requireClientDist();
    ensureImage();
    server = await startSandboxServer('runc');
    // One after the other: the first person to sign up is the instance admin.
    alice = await createUser(server.url);
    bob = await createUser(server.url);
    space = await aliceSpace('echo', ECHO);
    [a, b] = await Promise.all([pageAs(alice), pageAs(bob)]);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps the Space banner and the App tab on History, Use via API, Duplicates and files at a revision', async () => {
    for (const [path, what] of [
      ['commits/main', 'History'],
      ['api', 'Use via API'],
      ['forks', 'Duplicates'],
      ['tree/main', 'Files at main'],
    ] as const) {
      await b.goto(`/spaces/${space}/${path}`);
      await b.locator('.space-banner .space-title').waitFor();
      const tabs = b.getByRole('navigation', { name: 'Space' });
      await tabs.getByRole('link', { name: 'App', exact: true }).waitFor();
      expect(await b.locator('.space-banner .stage-badge').count(), what).toBe(1);
      if (what !== 'Files at main') {
        const active = await tabs.locator('a.active').textContent();
        expect(active?.trim().startsWith(what), `${what}: active tab ${active}`).toBe(true);
      }
    }
    await b.goto(`/spaces/${space}/commits/main`);
    await b.locator('.commit-list').waitFor();
    await shot(b, 'history');
    await b.goto(`/spaces/${space}/api`);
    await b.getByRole('heading', { name: 'Use via API' }).waitFor();
    await shot(b, 'api');
    await b
      .getByRole('navigation', { name: 'Space' })
      .getByRole('link', { name: 'App', exact: true })
      .click();
    await b.waitForURL(`**/spaces/${space}`);
    await b.getByRole('heading', { name: 'Echo', exact: true }).waitFor();
  });

  it('leads Settings to the runtime settings and Repository to the repository, with the sleep time the runtime applies', async () => {
    await a.goto(`/spaces/${space}`);
    const tabs = a.getByRole('navigation', { name: 'Space' });
    await tabs.getByRole('link', { name: 'Settings', exact: true }).click();
    await a.waitForURL(`**/spaces/${space}/settings`);
    await a.getByRole('heading', { name: 'Runtime' }).waitFor();
    await a.getByRole('heading', { name: 'Secrets' }).waitFor();
    const sleep = a.locator('select[name=sleep-time]');
    await expect.poll(() => sleep.inputValue()).toBe('172800');
    const runtime = (await api(server.url, `/api/spaces/${space}/runtime`, { user: alice })).body;
    expect(runtime.gcTimeout).toBe(172800);
    expect(await sleep.locator('option:checked').textContent()).toBe('after 48 hours');
    await shot(a, 'settings');
    // A chosen sleep time is what the runtime then applies, and what the menu shows.
    await sleep.selectOption('3600');
    await expect
      .poll(
        async () => (await api(server.url, `/api/spaces/${space}/runtime`, { user: alice })).body.gcTimeout,
      )
      .toBe(3600);
    await expect.poll(() => sleep.inputValue()).toBe('3600');

    await tabs.getByRole('link', { name: 'Repository', exact: true }).click();
    await a.waitForURL(`**/spaces/${space}/repository`);
    await a.getByRole('heading', { name: 'Visibility' }).waitFor();
    await a.getByRole('heading', { name: 'Collaborators' }).waitFor();
    expect(await a.getByRole('heading', { name: 'Runtime' }).count()).toBe(0);
    await shot(a, 'repository');
    // The old address of the runtime settings still leads there.
    await a.goto(`/spaces/${space}/runtime`);
    await a.waitForURL(`**/spaces/${space}/settings`);
    await a.getByRole('heading', { name: 'Runtime' }).waitFor();
    // A reader sees neither tab.
    await b.goto(`/spaces/${space}`);
    await b
      .getByRole('navigation', { name: 'Space' })
      .getByRole('link', { name: 'App', exact: true })
      .waitFor();
    expect(await b.getByRole('link', { name: 'Settings', exact: true }).count()).toBe(0);
    expect(await b.getByRole('link', { name: 'Repository', exact: true }).count()).toBe(0);
  });

  it("never says 'In queue' after 'Running' for the same call", async () => {
    await b.goto(`/spaces/${space}`);
    await waitForStageBadge(b, 'RUNNING');
    await b.getByLabel('Text').fill('hello');
    await b.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __status: string[] }).__status = seen;
      const target = document.querySelector('.demo-outputs');
      if (!target) throw new Error('no outputs');
      const note = () => {
        const text = target.querySelector('.demo-status')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      };
      new MutationObserver(note).observe(target, { subtree: true, childList: true, characterData: true });
    });
    await b.getByRole('button', { name: 'Submit' }).click();
    await b.locator('.demo-done').waitFor();
    const seen = await b.evaluate(() => (window as unknown as { __status: string[] }).__status);
    const running = seen.findIndex((s) => s.startsWith('Running'));
    expect(running, seen.join(' → ')).toBeGreaterThanOrEqual(0);
    expect(
      seen.slice(running).some((s) => s.startsWith('In queue')),
      seen.join(' → '),
    ).toBe(false);
    expect(seen.at(-1)).toMatch(/^Done in \d+\.\d\d s$/);
    expect(await b.locator('[data-output="echo"] .demo-text').textContent()).toBe('hello');
  });

  it('duplicates through a dialog with a private choice, and copies the secrets only for a writer who asks', async () => {
    const source = await aliceSpace('keeper', ECHO);
    await api(server.url, `/api/spaces/${source}/secrets`, {
      body: { key: 'API_TOKEN', value: 'tok-1' },
      user: alice,
    });
    await a.goto(`/spaces/${source}`);
    const share = a.getByRole('button', { name: 'Share' });
    await share.waitFor();
    const before = await share.boundingBox();
    await a.getByRole('button', { name: 'Duplicate' }).click();
    const dialog = a.getByRole('dialog', { name: 'Duplicate this Space' });
    await dialog.waitFor();
    // A modal dialog, not a form inside the banner: Share stays where it was.
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open && d.matches(':modal'))).toBe(true);
    expect(await a.locator('.space-banner dialog, .space-banner form').count()).toBe(0);
    expect(await share.boundingBox()).toEqual(before);
    await dialog.locator('input[name=duplicate-name]').fill('keeper-copy');
    await dialog.getByLabel(/^Private/).check();
    await dialog.getByLabel(/Copy its secrets \(API_TOKEN\)/).check();
    await shot(a, 'duplicate-dialog');
    await dialog.getByRole('button', { name: 'Duplicate Space' }).click();
    await a.waitForURL(`**/spaces/${alice.name}/keeper-copy`);
    await a.locator('.space-banner .badge', { hasText: 'Private' }).waitFor();
    const copy = `${alice.name}/keeper-copy`;
    expect((await api(server.url, `/api/spaces/${copy}`)).status).toBe(404);
    expect(Object.keys((await api(server.url, `/api/spaces/${copy}/secrets`, { user: alice })).body)).toEqual(
      ['API_TOKEN'],
    );

    // Bob may read the Space, not its secrets: he is told they stay, and his copy has none.
    await b.goto(`/spaces/${source}`);
    await b.getByRole('button', { name: 'Duplicate' }).click();
    const his = b.getByRole('dialog', { name: 'Duplicate this Space' });
    await his.getByText('Its secrets stay with it').waitFor();
    expect(await his.getByRole('checkbox').count()).toBe(0);
    await shot(b, 'duplicate-dialog-reader');
    // Escape closes it with nothing made.
    await b.keyboard.press('Escape');
    await his.waitFor({ state: 'detached' });
    await b.getByRole('button', { name: 'Duplicate' }).click();
    await his.locator('input[name=duplicate-name]').fill('keeper-bob');
    await his.getByRole('button', { name: 'Duplicate Space' }).click();
    await b.waitForURL(`**/spaces/${bob.name}/keeper-bob`);
    expect(
      Object.keys((await api(server.url, `/api/spaces/${bob.name}/keeper-bob/secrets`, { user: bob })).body),
    ).toEqual([]);
  });

  it("shows a failed app's error at the line of app.ts, with a link to the logs", async () => {
    const broken = await aliceSpace('broken', CRASHING);
    await waitForStage(server.url, broken, ['RUNTIME_ERROR']);
    await b.goto(`/spaces/${broken}`);
    await waitForStageBadge(b, 'RUNTIME_ERROR');
    await expect.poll(() => b.locator('.app-error').textContent()).toBe('the mood is bad (app.ts:3:7)');
    await shot(b, 'app-error');
    await b.getByRole('link', { name: 'See the logs' }).click();
    await b.waitForURL(`**/spaces/${broken}/logs`);
    await b.getByText('at <anonymous> (app.ts:3:7)').first().waitFor();
    await shot(b, 'app-error-logs');
  });

  it('shows every Space tab whole on a 390 px wide phone screen, without widening the page', async () => {
    const phone = await pageAs(alice);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`/spaces/${space}`);
    await phone.getByRole('heading', { name: 'Echo', exact: true }).waitFor();
    const tabs = phone.getByRole('navigation', { name: 'Space' });
    await tabs.getByRole('link', { name: 'Repository', exact: true }).waitFor();
    const layout = () =>
      phone.evaluate(() => {
        const links = [...document.querySelectorAll<HTMLElement>('nav.space-tabs a')].map((a) => {
          const r = a.getBoundingClientRect();
          return { name: a.textContent?.trim() ?? '', left: r.left, right: r.right, width: r.width };
        });
        return {
          page: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          links,
          // The site's header keeps its account controls on screen too.
          accountRight: document.querySelector('.nav-account')?.getBoundingClientRect().right ?? 0,
        };
      });
    const seen = await layout();
    expect(seen.page).toBeLessThanOrEqual(seen.viewport);
    expect(seen.links.map((l) => l.name)).toEqual([
      'App',
      'Files',
      'Logs',
      'Card',
      'History',
      'Use via API',
      'Duplicates',
      'Settings',
      'Repository',
    ]);
    // Each tab whole and inside the screen: nothing cut off, nothing to scroll to.
    for (const l of seen.links) {
      expect(l.left, l.name).toBeGreaterThanOrEqual(0);
      expect(l.right, l.name).toBeLessThanOrEqual(390);
      expect(l.width, l.name).toBeGreaterThan(20);
    }
    expect(seen.accountRight).toBeGreaterThan(0);
    expect(seen.accountRight).toBeLessThanOrEqual(390);
    await shot(phone, 'phone');
    await tabs.getByRole('link', { name: 'Repository', exact: true }).click();
    await phone.waitForURL(`**/spaces/${space}/repository`);
    await phone.getByRole('heading', { name: 'Visibility' }).waitFor();
    expect((await layout()).page).toBeLessThanOrEqual(390);
    await shot(phone, 'phone-repository');
  });
});
