import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../access/accessChanges.js';
import {
  bearer,
  createUser,
  hasBrowser,
  screenshotPath,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
  useBrowserSuite,
} from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';
import { createNotebook, notebookOf, postNewNotebook } from './notebookClient.js';

// The notebook as a repository, from the page: made from a template under an organization and
// private; liked, shared (link, embed), its settings reached, forked through a dialog.
describe.skipIf(!hasBrowser())('notebook page: new from a template, like, share, settings, fork', () => {
  let server: TestServer;
  let owner: TestUser;
  let reader: TestUser;
  // Every browser dialog (prompt, confirm, alert) a page raised fails the test: the page must ask in its own.
  const { pageAs } = useBrowserSuite(() => server.url, { trapNativeDialogs: true, freshContexts: true });
  const get = (path: string, user?: TestUser) =>
    fetch(`${server.url}${path}`, { headers: user ? bearer(user.token) : {} });

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    owner = await createUser(server.url, uniqueName('ada'));
    reader = await createUser(server.url, uniqueName('rob'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a private notebook from a template under an organization the user may write to', async () => {
    const org = uniqueName('lab');
    expect((await createOrg(server.url, owner, org)).status).toBeLessThan(300);
    const page = await pageAs(owner);
    await page.goto('/notebooks/new');
    const picker = page.getByTestId('notebook-templates');
    // Blank in each language, then every notebook template with its language.
    await picker.getByText('Image Classification').waitFor();
    const cards = await picker.locator('label').allTextContents();
    expect(cards.filter((c) => c.startsWith('📄Blank notebook'))).toEqual([
      expect.stringContaining('Python'),
      expect.stringContaining('TypeScript'),
    ]);
    expect(cards.some((c) => c.includes('Sentiment Analysis') && c.includes('TypeScript'))).toBe(true);
    expect(cards.some((c) => c.includes('Data Exploration in Python') && c.includes('Python'))).toBe(true);
    await page.getByLabel('Owner').selectOption(org);
    const name = uniqueName('sentiment');
    await page.getByLabel('Notebook name').fill(name);
    await picker.getByText('Sentiment Analysis').click();
    await page.getByLabel(/Private/).check();
    await page.screenshot({ path: screenshotPath('notebook-new-from-template') });
    await page.getByRole('button', { name: 'Create notebook' }).click();
    await page.waitForURL(`**/notebooks/${org}/${name}`);
    await page.locator('[data-testid="cells"][data-synced="true"]').waitFor();
    // The template's cells, its kernel language, and the Private badge beside the title.
    await expect.poll(() => page.getByTestId('cells').textContent()).toContain('tiny-sentiment-bert');
    expect(await page.getByTestId('kernel-language').inputValue()).toBe('typescript');
    await page.locator('.nb-actions').getByText('Private').waitFor();

    const info = (await (await get(`/api/notebooks/${org}/${name}`, owner)).json()) as {
      private: boolean;
      cardData?: { title?: string };
    };
    expect(info.private).toBe(true);
    // The template's card came along (without its Space keys), so search and task filters find it.
    expect(info.cardData?.title).toBe('Sentiment Analysis');
    const card = await (await get(`/notebooks/${org}/${name}/resolve/main/README.md`, owner)).text();
    expect(card).not.toMatch(/^sdk:/m);
    expect((await get(`/api/notebooks/${org}/${name}`)).status).toBe(404);
    expect((await get(`/api/notebooks/${org}/${name}`, reader)).status).toBe(404);
  });

  it('creates a blank Python notebook, and refuses an unknown template with a clear message', async () => {
    const page = await pageAs(owner);
    await page.goto('/notebooks/new');
    const name = uniqueName('py');
    await page.getByLabel('Notebook name').fill(name);
    await page.getByTestId('notebook-templates').locator('label', { hasText: 'Python' }).first().click();
    await page.getByRole('button', { name: 'Create notebook' }).click();
    await page.waitForURL(`**/notebooks/${owner.name}/${name}`);
    await expect.poll(() => page.getByTestId('kernel-language').inputValue()).toBe('python');

    const unknown = await postNewNotebook(server.url, owner, uniqueName('x'), {
      template: 'no-such-template',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('no-such-template');
    const traversal = await postNewNotebook(server.url, owner, uniqueName('x'), { template: '../../etc' });
    expect(traversal.status).toBe(400);
  });

  it('likes, shares a link and an embed, and links admins to the sharing settings', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('shared'), {
      notebook: notebookOf(['1 + 1']),
    });
    const page = await pageAs(owner);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/notebooks/${id}`);
    const actions = page.locator('.nb-actions');
    const like = actions.getByRole('button', { name: /♡/ });
    await like.click();
    await expect.poll(() => actions.locator('.like-count').textContent()).toBe('1');
    const likers = (await (await get(`/api/notebooks/${id}/likers`, owner)).json()) as { liked: boolean };
    expect(likers.liked).toBe(true);

    await actions.getByRole('button', { name: 'Share' }).click();
    expect(await page.locator('input[name="share-link"]').inputValue()).toBe(`${server.url}/notebooks/${id}`);
    const embed = await page.locator('input[name="share-embed"]').inputValue();
    expect(embed).toContain(`src="${server.url}/embed/notebooks/${id}"`);
    await page.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/notebooks/${id}`);
    await page.getByRole('button', { name: 'Copied!' }).waitFor();
    await page.screenshot({ path: screenshotPath('notebook-share') });
    // The popover closes on Escape and on a press outside it, as menus do.
    await page.keyboard.press('Escape');
    await page.locator('.share-popover').waitFor({ state: 'detached' });
    await actions.getByRole('button', { name: 'Share' }).click();
    await page.locator('.share-popover').waitFor();
    await page.locator('[data-testid="cells"]').click({ position: { x: 5, y: 5 } });
    await page.locator('.share-popover').waitFor({ state: 'detached' });

    // The embed page: the cells alone, read-only, and frameable by other sites.
    const framed = await get(`/embed/notebooks/${id}`);
    expect(framed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const viewer = await pageAs(reader);
    await viewer.goto(`/embed/notebooks/${id}`);
    await viewer.locator('[data-testid="cells"][data-synced="true"]').waitFor();
    await expect.poll(() => viewer.getByTestId('cells').textContent()).toContain('1 + 1');
    expect(await viewer.getByRole('toolbar', { name: 'Notebook' }).count()).toBe(0);
    expect(await viewer.locator('.navbar').count()).toBe(0);
    await viewer.getByText('Open in Atrium').waitFor();
    await viewer.screenshot({ path: screenshotPath('notebook-embed') });
    // An embedded copy is not a person on the page. Presence travels in order: once the owner sees a
    // visitor who came after the embed, the embed's presence would have arrived too.
    const later = await createUser(server.url, uniqueName('eve'));
    const visitor = await pageAs(later);
    await visitor.goto(`/notebooks/${id}`);
    await expect.poll(() => page.getByTestId('presence').textContent()).toContain(later.name);
    expect(await page.getByTestId('presence').textContent()).not.toContain(reader.name);

    await actions.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`**/notebooks/${id}/settings`);
    await page.getByRole('heading', { name: 'Collaborators' }).waitFor();
    await page.getByRole('heading', { name: 'Visibility' }).waitFor();
  });

  it('forks through a dialog asking the new name; a reader sees no settings, rename or delete', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('orig'), {
      notebook: notebookOf(['const x = 1;']),
    });
    const page = await pageAs(reader);
    await page.goto(`/notebooks/${id}`);
    await page.getByText('Read only').waitFor();
    const actions = page.locator('.nb-actions');
    await actions.getByRole('button', { name: 'Fork' }).waitFor();
    for (const absent of ['Settings', 'Rename', 'Delete notebook'])
      expect(await actions.getByText(absent, { exact: true }).count()).toBe(0);
    await actions.getByRole('button', { name: 'Fork' }).click();
    const dialog = page.getByRole('dialog', { name: `Fork ${id}` });
    const field = dialog.getByLabel(/Name of your copy/);
    expect(await field.inputValue()).toBe(`${id.split('/')[1]}-fork`);
    // Escape closes it without forking.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await actions.getByRole('button', { name: 'Fork' }).click();
    // A name the Hub refuses keeps the dialog open with the server's message.
    await field.fill('bad name!');
    await dialog.getByRole('button', { name: 'Fork' }).click();
    await dialog.getByRole('alert').waitFor();
    await page.screenshot({ path: screenshotPath('notebook-fork-dialog') });
    const copy = uniqueName('mine');
    await field.fill(copy);
    await dialog.getByRole('button', { name: 'Fork' }).click();
    await page.waitForURL(`**/notebooks/${reader.name}/${copy}`);
    await expect.poll(() => page.getByTestId('cells').textContent()).toContain('const x = 1;');
  });
});
