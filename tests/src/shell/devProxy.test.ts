import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer, uniqueName } from '../harness/index.js';

const clientDir = path.dirname(createRequire(import.meta.url).resolve('@atrium/client/package.json'));

describe('the Vite dev server proxies the API to the Atrium server', () => {
  let atrium: TestServer;
  let vite: ViteDevServer;
  let devUrl: string;

  beforeAll(async () => {
    atrium = await startTestServer();
    // client/vite.config.ts reads where the server is from this variable (default http://localhost:3000).
    process.env.ATRIUM_DEV_SERVER = atrium.url;
    vite = await createServer({
      root: clientDir,
      configFile: path.join(clientDir, 'vite.config.ts'),
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', strictPort: false },
    });
    await vite.listen();
    devUrl = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.ATRIUM_DEV_SERVER;
    await vite?.close();
    await atrium?.stop();
  });

  it('serves the app’s source page itself', async () => {
    const html = await (
      await fetch(`${devUrl}/settings/tokens`, { headers: { accept: 'text/html' } })
    ).text();
    expect(html).toContain('/src/main.tsx');
  });

  it('forwards sign-up and whoami to the server, cookies included', async () => {
    const name = uniqueName('dev');
    const signUp = await fetch(`${devUrl}/api/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: devUrl },
      body: JSON.stringify({ name, password: 'long enough password' }),
    });
    expect(signUp.status).toBe(201);
    const cookie = signUp.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const who = await fetch(`${devUrl}/api/whoami-v2`, { headers: { cookie } });
    expect(((await who.json()) as { name: string }).name).toBe(name);
    // The account really is in the server's database.
    expect(await atrium.services.accounts.findByName(name)).toBeTruthy();
  });

  it('passes the server’s JSON errors through', async () => {
    const res = await fetch(`${devUrl}/api/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toEqual(expect.any(String));
  });

  it('forwards WebSocket upgrades under /collab to the server', async () => {
    const socket = new WebSocket(`${devUrl.replace('http', 'ws')}/collab/dev-proxy-probe`);
    // Whether or not a collab endpoint exists yet, the answer must come from Atrium: an open socket
    // or Atrium's own JSON refusal.
    const outcome = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to the upgrade')), 10_000);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve('open');
      });
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(`refused ${res.statusCode} ${body}`);
        });
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    socket.terminate();
    expect(outcome).toMatch(/^open$|^refused \d{3} \{"error":/);
  });
});
