import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeRepo } from '../collab/collabClients.js';
import { createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

/** How an upgrade ended: opened, or refused with an HTTP status and JSON body before any WebSocket existed. */
function upgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ opened: true } | { status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body || 'null') }));
    });
    ws.once('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}

describe.each([
  ['without ATRIUM_PUBLIC_URL (the request’s Host is Atrium’s origin)', undefined],
  ['with ATRIUM_PUBLIC_URL', 'http://atrium.example:8443'],
])('WebSocket origin %s', (_title, publicUrl) => {
  let server: TestServer;
  let owner: TestUser;
  let doc: string;
  let publicDoc: string;
  let own: string;
  const ws = () => server.url.replace(/^http/, 'ws');
  const foreign = () => `http://127.0.0.1:${server.port + 1}`;

  beforeAll(async () => {
    server = await startTestServer({ publicUrl });
    await createUser(server.url);
    owner = await createUser(server.url);
    doc = `notebooks/${await makeRepo(server, owner, 'notebook', { private: true })}`;
    publicDoc = `notebooks/${await makeRepo(server, owner, 'notebook')}`;
    own = publicUrl ?? server.url;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses a live-document upgrade carrying a session cookie from a foreign origin with 403 and a JSON error', async () => {
    const res = await upgrade(`${ws()}/collab/${doc}`, { cookie: owner.cookie, origin: foreign() });
    expect(res).toMatchObject({ status: 403, body: { error: expect.stringMatching(/origin/i) } });
    const nullOrigin = await upgrade(`${ws()}/collab/${doc}`, { cookie: owner.cookie, origin: 'null' });
    expect(nullOrigin).toMatchObject({ status: 403 });
  });

  it('refuses a kernel channels upgrade carrying a session cookie from a foreign origin before looking at the kernel', async () => {
    const res = await upgrade(`${ws()}/api/kernels/some-kernel/channels`, {
      cookie: owner.cookie,
      origin: foreign(),
    });
    expect(res).toMatchObject({ status: 403, body: { error: expect.stringMatching(/origin/i) } });
    const same = await upgrade(`${ws()}/api/kernels/some-kernel/channels`, {
      cookie: owner.cookie,
      origin: own,
    });
    expect(same).toMatchObject({ status: 404 });
  });

  it('accepts the session cookie from Atrium’s own origin', async () => {
    expect(await upgrade(`${ws()}/collab/${doc}`, { cookie: owner.cookie, origin: own })).toEqual({
      opened: true,
    });
  });

  it('leaves Bearer-token clients and requests without a cookie alone, whatever their origin', async () => {
    const token = await upgrade(`${ws()}/collab/${doc}`, {
      authorization: `Bearer ${owner.token}`,
      origin: foreign(),
    });
    expect(token).toEqual({ opened: true });
    expect(await upgrade(`${ws()}/collab/${publicDoc}`, { origin: foreign() })).toEqual({ opened: true });
    // Scripts and servers send no Origin at all: they carry no ambient authority to borrow.
    expect(await upgrade(`${ws()}/collab/${doc}`, { cookie: owner.cookie })).toEqual({ opened: true });
  });

  if (publicUrl) {
    it('takes ATRIUM_PUBLIC_URL as the only own origin when it is set', async () => {
      const res = await upgrade(`${ws()}/collab/${doc}`, { cookie: owner.cookie, origin: server.url });
      expect(res).toMatchObject({ status: 403 });
    });
  }
});
