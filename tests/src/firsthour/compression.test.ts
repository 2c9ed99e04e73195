import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../harness/index.js';
import { requireClientDist } from '../shell/clientDist.js';

/** A raw GET (fetch would decode the body and hide the encoding): status, headers and body size. */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
        })
        .on('error', reject);
    },
  );
}

describe('the web client served compressed', () => {
  let server: TestServer;
  let bundle: string;

  beforeAll(async () => {
    requireClientDist();
    server = await startTestServer();
    const html = await (await fetch(`${server.url}/`)).text();
    bundle = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    expect(bundle).not.toBe('');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends the script bundle gzipped to a browser that accepts it, at under half its size', async () => {
    const plain = await get(`${server.url}${bundle}`, {});
    const gzipped = await get(`${server.url}${bundle}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.status).toBe(200);
    expect(['gzip', 'br']).toContain(gzipped.headers['content-encoding']);
    expect(gzipped.headers['cache-control']).toMatch(/immutable/);
    expect(gzipped.bytes).toBeLessThan(plain.bytes / 2);
  });

  it('sends the app page compressed too, and leaves API answers as they were', async () => {
    const page = await get(`${server.url}/spaces`, { 'accept-encoding': 'gzip', accept: 'text/html' });
    expect(page.headers['content-encoding']).toBe('gzip');
    const health = await get(`${server.url}/api/health`, { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});
