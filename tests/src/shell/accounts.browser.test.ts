import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  launchBrowser,
  screenshotPath,
  startTestServer,
  type TestServer,
  uniqueName,
} from '../harness/index.js';
import { requireClientDist } from './clientDist.js';

const PASSWORD = 'correct horse battery staple';

describe.skipIf(!hasBrowser())('web shell: accounts in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const whoAmI = (token: string) => fetch(`${server.url}/api/whoami-v2`, { headers: bearer(token) });
  const shot = (name: string) => page.screenshot({ path: screenshotPath(`shell-${name}`), fullPage: true });
  const userMenu = () => page.getByRole('button', { name: 'User menu' });
  const navLogIn = () => page.getByRole('banner').getByRole('link', { name: 'Log in' });

  async function fillAuthForm(name: string, password: string, submit: 'Create account' | 'Log in') {
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('main').getByRole('button', { name: submit }).click();
  }

  async function logOut() {
    await userMenu().click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await navLogIn().waitFor();
  }

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // A missing bundle or stylesheet fails no script; it shows up only as an error status.
    page.on('response', (res) => {
      if (res.status() >= 400 && !new URL(res.url()).pathname.startsWith('/api/')) {
        pageErrors.push(`${res.status()} ${res.url()}`);
      }
    });
  });
  // Each test answers for the errors and failed loads it caused.
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('signs up, mints a token shown once, revokes it, logs out and back in', async () => {
    const name = uniqueName('shell');
    await context.clearCookies();
    await page.goto('/');
    await navLogIn().waitFor();
    await shot('explore-signed-out');

    await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
    await fillAuthForm(name, PASSWORD, 'Create account');
    await userMenu().waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(name);
    await shot('signed-in');

    await userMenu().click();
    await shot('user-menu');
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Access Tokens' }).waitFor();
    expect(await page.title()).toBe('Access Tokens · Atrium');
    await page.getByLabel('Token name').fill('laptop');
    await page.getByRole('radio', { name: /Write/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^hf_atr_[A-Za-z0-9_-]{20,}$/);
    await page
      .getByRole('table', { name: 'Access tokens' })
      .getByRole('cell', { name: 'laptop', exact: true })
      .waitFor();
    await shot('token-created');

    // The token is real: an API client holding it is this user, with write rights.
    const who = await whoAmI(secret);
    expect(who.status).toBe(200);
    const body = (await who.json()) as { name: string; auth: { accessToken: { role: string } } };
    expect(body.name).toBe(name);
    expect(body.auth.accessToken.role).toBe('write');

    // Shown once: after a reload the list has the token's name but nowhere its secret.
    await page.reload();
    await page.getByRole('cell', { name: 'laptop', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke laptop' }).click();
    await page.getByText('You have no access tokens yet.').waitFor();
    expect((await whoAmI(secret)).status).toBe(401);

    await logOut();
    await shot('logged-out');
    expect(await userMenu().count()).toBe(0);

    await navLogIn().click();
    await fillAuthForm(name, PASSWORD, 'Log in');
    await userMenu().waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('shows the server’s message for a wrong password and disables submit while waiting', async () => {
    const { name } = await createUser(server.url);
    await context.clearCookies();
    // Hold the log-in request until the pending state has been seen.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/login', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/login');
    await fillAuthForm(name, 'not the password', 'Log in');
    await expect(page.getByRole('button', { name: 'Logging in…' }).isDisabled()).resolves.toBe(true);
    release();
    await page.getByRole('alert').getByText('Invalid username or password').waitFor();
    await page.unroute('**/api/login');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await navLogIn().count()).toBe(1);
    await shot('wrong-password');
  });

  it.each([
    ['a taken name', 'taken', PASSWORD, /is already taken/],
    ['a reserved name', 'admin', PASSWORD, /Username is reserved/],
    ['a path as a name', '../x', PASSWORD, /Username may hold only letters/],
    ['a 200-character name', 'n'.repeat(200), PASSWORD, /Username must be 2 to 42 characters/],
    ['a short password', 'fresh-name', 'short', /^Password must be at least 8 characters$/],
  ])('refuses sign-up with %s and shows why', async (_what, nameOrKey, password, message) => {
    const name = nameOrKey === 'taken' ? (await createUser(server.url)).name : nameOrKey;
    await context.clearCookies();
    await page.goto('/signup');
    await fillAuthForm(name, password, 'Create account');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(message);
    expect(new URL(page.url()).pathname).toBe('/signup');
    if (nameOrKey === 'taken') await shot('signup-taken');
  });

  it('creates an organization and lets its admin add a member', async () => {
    const colleague = await createUser(server.url);
    const org = uniqueName('org');
    await context.clearCookies();
    await page.goto('/signup');
    await fillAuthForm(uniqueName('founder'), PASSWORD, 'Create account');
    await userMenu().waitFor();

    await page.getByRole('button', { name: 'Create new' }).click();
    await page.getByRole('menuitem', { name: 'Organization' }).click();
    await page.getByLabel('Organization name').fill(org);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(`**/${org}`);
    const members = page.getByRole('list', { name: 'Members' });
    await members.getByRole('listitem').first().waitFor();
    expect(await members.getByRole('listitem').count()).toBe(1);

    await page.getByLabel('Username to add').fill('nobody-by-this-name');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('alert').getByText('User "nobody-by-this-name" not found').waitFor();

    await page.getByLabel('Username to add').fill(colleague.name);
    await page.getByRole('button', { name: 'Add member' }).click();
    await members.getByRole('link', { name: colleague.name }).waitFor();
    expect(await members.getByRole('listitem').count()).toBe(2);
    await shot('organization');

    // The server agrees, and the colleague's own page lists the organization.
    const res = await fetch(`${server.url}/api/organizations/${org}`);
    const body = (await res.json()) as { members: { user: string; role: string }[] };
    expect(body.members.find((m) => m.user === colleague.name)?.role).toBe('write');
    await page.goto(`/${colleague.name}`);
    await page.getByRole('link', { name: org }).waitFor();

    // The colleague, a plain member, sees no admin controls and can leave.
    await context.clearCookies();
    await page.goto('/login');
    await fillAuthForm(colleague.name, colleague.password, 'Log in');
    await userMenu().waitFor();
    await page.goto(`/${org}`);
    await page.getByRole('button', { name: 'Leave organization' }).waitFor();
    expect(await page.getByLabel('Username to add').count()).toBe(0);
    await page.getByRole('button', { name: 'Leave organization' }).click();
    await page.getByRole('button', { name: 'Leave organization' }).waitFor({ state: 'detached' });
    expect(await members.getByRole('listitem').count()).toBe(1);
  });

  it('sends a signed-out visitor of settings to log in, then back to settings', async () => {
    const { name } = await createUser(server.url);
    await context.clearCookies();
    await page.goto('/settings/tokens');
    await page.waitForURL('**/login?next=*');
    await fillAuthForm(name, PASSWORD, 'Log in');
    await page.getByRole('heading', { name: 'Access Tokens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/tokens');
  });

  it('shows the rate-limit message when log-in attempts come too fast', async () => {
    const limited = await startTestServer({ authRateLimit: 2 });
    const other = await context.browser()!.newContext({ baseURL: limited.url });
    try {
      const tab = await other.newPage();
      tab.setDefaultTimeout(30_000);
      await tab.goto('/login');
      await tab.getByLabel('Username').fill('someone');
      await tab.getByLabel('Password').fill('wrong password');
      const submit = tab.getByRole('main').getByRole('button', { name: 'Log in' });
      for (let i = 0; i < 2; i++) {
        await submit.click();
        await tab.getByRole('alert').getByText('Invalid username or password').waitFor();
      }
      await submit.click();
      await tab
        .getByRole('alert')
        .getByText('Too many attempts from this address, try again later')
        .waitFor();
      await tab.screenshot({ path: screenshotPath('shell-rate-limited') });
    } finally {
      await other.close();
      await limited.stop();
    }
  });

  it('answers an unknown name with the not-found page', async () => {
    await page.goto('/no-such-account-here');
    await page.getByText('No user or organization is called “no-such-account-here”.').waitFor();
  });
});
