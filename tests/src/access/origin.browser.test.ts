import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  hasBrowser,
  hasDocker,
  launchBrowser,
  openPageAs,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import { createNotebook, notebookOf } from '../notebook/notebookClient.js';
import { ensureImage, startKernel, startSandboxServer } from '../sandbox/sandboxTesting.js';

/** What a page's script got from a WebSocket: whether it opened, and every text it received. */
interface Probe {
  opened: boolean;
  received: string;
  closeCode: number | null;
}

/**
 * Runs in the page: opens a WebSocket, sends `first` once it is open (bytes, or a JSON string), and
 * collects what arrives until `until` appears, the socket closes, or `ms` pass.
 */
function probeInPage(args: {
  url: string;
  first: number[] | string;
  until: string;
  ms: number;
}): Promise<Probe> {
  return new Promise((resolve) => {
    const result: Probe = { opened: false, received: '', closeCode: null };
    const ws = new WebSocket(args.url);
    ws.binaryType = 'arraybuffer';
    const done = () => {
      clearTimeout(timer);
      try {
        ws.close();
      } catch {}
      resolve(result);
    };
    const timer = setTimeout(done, args.ms);
    ws.onopen = () => {
      result.opened = true;
      ws.send(typeof args.first === 'string' ? args.first : new Uint8Array(args.first));
    };
    ws.onmessage = (event) => {
      result.received +=
        typeof event.data === 'string'
          ? event.data
          : Array.from(new Uint8Array(event.data as ArrayBuffer), (b) => String.fromCharCode(b)).join('');
      if (result.received.includes(args.until)) done();
    };
    ws.onclose = (event) => {
      result.closeCode = event.code;
      done();
    };
  });
}

// y-protocols sync step 1 with an empty state vector: "send me everything".
const SYNC_STEP_1 = [0, 0, 1, 0];
const executeRequest = (code: string) =>
  JSON.stringify({ header: { msg_id: 'probe', msg_type: 'execute_request' }, content: { code } });

describe.skipIf(!hasBrowser() || !hasDocker())('a page on another port of the same host', () => {
  let server: TestServer;
  let foreign: http.Server;
  let foreignUrl: string;
  let browser: Browser;
  let owner: TestUser;
  let notebook: string;
  let kernelId: string;
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer('runc');
    await createUser(server.url);
    owner = await createUser(server.url);
    notebook = await createNotebook(server.url, owner, uniqueName('private'), {
      private: true,
      notebook: notebookOf([`// ${secret}`]),
    });
    kernelId = (await startKernel(server.url, bearer(owner.token))).id;
    // The "other site": any page on the same host, another port (cookies are not port-scoped).
    foreign = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    );
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    foreign?.close();
    await server?.stop();
  });

  /** A page at `origin` in a browser that holds the owner's session cookie for Atrium. */
  async function pageAt(origin: string): Promise<Page> {
    const page = await openPageAs(browser, server.url, owner, { contexts, errors });
    await page.goto(`${origin}/api/health`);
    return page;
  }
  const wsBase = () => server.url.replace(/^http/, 'ws');

  it('cannot read a private notebook through the live-document socket or run code in its owner’s kernel', async () => {
    const page = await pageAt(foreignUrl);
    const doc = await page.evaluate(probeInPage, {
      url: `${wsBase()}/collab/notebooks/${notebook}`,
      first: SYNC_STEP_1,
      until: secret,
      ms: 5_000,
    });
    expect(doc.opened).toBe(false);
    expect(doc.received).not.toContain(secret);
    const kernel = await page.evaluate(probeInPage, {
      url: `${wsBase()}/api/kernels/${kernelId}/channels`,
      first: executeRequest('console.log("ran-" + 6 * 7)'),
      until: 'execute_reply',
      ms: 5_000,
    });
    expect(kernel.opened).toBe(false);
    expect(kernel.received).not.toContain('ran-42');
    expect(server.services.runtime.kernels.get(kernelId).executionCount).toBe(0);
  });

  it('reads the notebook and runs code from Atrium’s own origin', async () => {
    const page = await pageAt(server.url);
    const doc = await page.evaluate(probeInPage, {
      url: `${wsBase()}/collab/notebooks/${notebook}`,
      first: SYNC_STEP_1,
      until: secret,
      ms: 20_000,
    });
    expect(doc.received).toContain(secret);
    const kernel = await page.evaluate(probeInPage, {
      url: `${wsBase()}/api/kernels/${kernelId}/channels`,
      first: executeRequest('console.log("ran-" + 6 * 7)'),
      until: 'execute_reply',
      ms: 60_000,
    });
    expect(kernel.received).toContain('ran-42');
    expect(errors).toEqual([]);
  });
});
