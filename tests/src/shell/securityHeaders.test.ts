import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { api, commitFiles, waitForStage } from '../spaces/runtimeTesting.js';
import { requireClientDist } from './clientDist.js';

let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  requireClientDist();
  server = await startTestServer({ seed: false });
  owner = await createUser(server.url);
});
afterAll(async () => {
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { accept: 'text/html', ...headers } });

/** A CSP header as directive → sources. */
function policy(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('security headers', () => {
  it('sends the web app with a CSP that allows no inline script or eval and no framing by other sites', async () => {
    for (const path of ['/', '/explore', '/index.html']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const csp = policy(res);
      expect(csp.get('script-src'), path).toEqual(["'self'"]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('base-uri'), path).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
    }
  });

  it('lets any site frame an embed page, under the same CSP otherwise', async () => {
    const res = await get('/embed/spaces/someone/something');
    const csp = policy(res);
    expect(csp.get('frame-ancestors')).toEqual(['*']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('marks API answers nosniff with the referrer policy', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('never serves a repository file as HTML in Atrium’s origin: no text/html, a sandbox CSP, attachment on request', async () => {
    const page = '<html><script>fetch("/api/settings/tokens")</script></html>';
    const made = await fetch(`${server.url}/api/repos/create`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'pages',
        files: [
          { path: 'page.html', content: Buffer.from(page).toString('base64') },
          { path: 'image.svg', content: Buffer.from('<svg onload="alert(1)"/>').toString('base64') },
        ],
      }),
    });
    expect(made.status).toBe(200);
    for (const path of ['resolve', 'raw'].flatMap((k) => [
      `/${owner.name}/pages/${k}/main/page.html`,
      `/${owner.name}/pages/${k}/main/image.svg`,
    ])) {
      const res = await fetch(`${server.url}${path}`, { headers: bearer(owner.token) });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).not.toMatch(/html|svg/);
      expect(policy(res).has('sandbox'), path).toBe(true);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const download = await fetch(`${server.url}/${owner.name}/pages/resolve/main/page.html?download=1`, {
      headers: bearer(owner.token),
    });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('serves a static Space sandboxed without allow-same-origin, so its scripts run in an opaque origin', async () => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'static-space', name: 'site' },
      user: owner,
    });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    await commitFiles(server.url, id, owner, { 'app.js': 'document.title = "x";' });
    await waitForStage(server.url, id, ['RUNNING']);
    for (const file of ['', 'app.js']) {
      const res = await fetch(`${server.url}/spaces/${id}/app/${file}`);
      expect(res.status, file).toBe(200);
      const sandbox = policy(res).get('sandbox') ?? [];
      expect(sandbox, file).toContain('allow-scripts');
      expect(sandbox, file).not.toContain('allow-same-origin');
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
    }
  });
});
