import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, tempDataDir } from '../harness/index.js';
import { requireClientDist } from './clientDist.js';

describe('the server serves the built web shell', () => {
  let server: TestServer;
  let indexHtml: string;

  beforeAll(async () => {
    const dist = requireClientDist();
    indexHtml = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const get = (p: string, accept = 'text/html') => fetch(`${server.url}${p}`, { headers: { accept } });

  it('answers GET / with the app’s index.html, never cached stale', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(indexHtml);
  });

  it('answers any page address with index.html so the client router can show it', async () => {
    for (const p of ['/some/page', '/settings/tokens', '/alice']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(await res.text(), p).toBe(indexHtml);
    }
  });

  it('answers an unknown API path with a 404 JSON error, not the app', async () => {
    for (const accept of ['text/html', 'application/json', '*/*']) {
      const res = await get('/api/nope', accept);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: string }).error).toEqual(expect.any(String));
    }
  });

  it('serves the hashed bundle from /assets with a year-long immutable cache', async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(indexHtml)?.[1];
    expect(script, 'index.html references a hashed /assets/*.js bundle').toBeDefined();
    const res = await get(script!, '*/*');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const cache = res.headers.get('cache-control') ?? '';
    expect(cache).toMatch(/max-age=31536000/);
    expect(cache).toMatch(/immutable/);
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it('answers a missing asset with 404 rather than index.html', async () => {
    const res = await get('/assets/index-doesnotexist.js', '*/*');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<div id="root">');
  });
});

describe('a client rebuilt while the server runs', () => {
  it('is picked up: pages get the new index.html, not one pointing at deleted bundles', async () => {
    const dir = tempDataDir('atrium-client-copy');
    fs.cpSync(requireClientDist(), dir, { recursive: true });
    const server = await startTestServer({ clientDir: dir });
    try {
      const before = await (await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })).text();
      expect(before).toContain('<div id="root">');
      const rebuilt = before.replace('<title>Atrium</title>', '<title>Atrium rebuilt</title>');
      fs.writeFileSync(path.join(dir, 'index.html'), rebuilt);
      // A later modification time even on coarse-grained file systems.
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(path.join(dir, 'index.html'), later, later);
      const after = await (
        await fetch(`${server.url}/some/page`, { headers: { accept: 'text/html' } })
      ).text();
      expect(after).toBe(rebuilt);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
