import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, synced } from '../collab/collabClients.js';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { bigNotebook, notebookOf } from './notebookClient.js';

// The live document may hold the big notebook; another server keeps the default-sized cap.
let server: TestServer;
let owner: TestUser;
let big: { cells: number; body: Buffer };

beforeAll(async () => {
  // Built before the server starts, so this second of JSON work is not counted as the server's.
  const nb = bigNotebook(49_000_000);
  big = { cells: nb.cells.length, body: Buffer.from(importBody('big', nb)) };
  server = await startTestServer({ collabDocMaxBytes: 64 * 1024 * 1024 });
  owner = await createUser(server.url);
  // The sandbox image check at start-up has its own synchronous steps: keep them out of the measure.
  await server.services.runtime.whenReady();
});
afterAll(async () => {
  await server?.stop();
});

function postImport(url: string, user: TestUser, body: string | Buffer) {
  return fetch(`${url}/api/notebooks/new`, {
    method: 'POST',
    headers: { ...bearer(user.token), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

const importBody = (name: string, notebook: unknown) => JSON.stringify({ name, notebook });

/** POSTs a large body with node:http, which writes the buffer as it is (fetch copies it on this loop first). */
function postBig(url: string, token: string, body: Buffer): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json', 'content-length': body.length },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectRefused(res: Response, status: number, id: string, message: RegExp) {
  const body = (await res.json()) as { error: string; id: string };
  expect({ status: res.status, id: body.id }).toEqual({ status, id });
  expect(body.error).toMatch(message);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
}

describe('bounded notebook import', () => {
  it('imports a 49 MB notebook without stalling the event loop, and it opens with every cell', async () => {
    const { body } = big;
    expect(body.length).toBeGreaterThan(49_000_000);
    // The server runs in this process: its event loop is this one.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await postBig(server.url, owner.token, body);
    delay.disable();
    expect(res.status).toBe(201);
    const { id } = res.json as { id: string };
    // Shorter than merely parsing the body on the loop, measured here under the same load (the
    // figure against the 100 ms goal is bench/notebook/bigImport.ts's).
    const parseStarted = performance.now();
    JSON.parse(body.toString());
    expect(delay.max / 1e6).toBeLessThan(performance.now() - parseStarted);

    const client = connectClient(server, `notebooks/${id}`, { token: owner.token });
    await synced(client, 60_000);
    expect(client.doc.getArray('cells').length).toBe(big.cells);
    client.destroy();
  }, 180_000);

  it('refuses more than 10,000 cells with 413 too_many_cells', async () => {
    const many = notebookOf(Array.from({ length: 10_001 }, () => ''));
    await expectRefused(
      await postImport(server.url, owner, importBody('many', many)),
      413,
      'too_many_cells',
      /10001 cells; at most 10000/,
    );
  });

  it('refuses metadata nested 5,000 levels deep with 413 nesting_too_deep', async () => {
    // Written as text: JSON.stringify itself recurses.
    const deep = `${'{"d":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const nb = importBody('deep', { ...notebookOf(['1']), metadata: { deep: '@' } }).replace('"@"', deep);
    await expectRefused(
      await postImport(server.url, owner, nb),
      413,
      'nesting_too_deep',
      /nests deeper than 100 levels/,
    );
  });

  it('refuses a body over 64 MB with 413 body_too_large before parsing it', async () => {
    const body = Buffer.alloc(65 * 1024 * 1024, 32);
    await expectRefused(
      await postImport(server.url, owner, body),
      413,
      'body_too_large',
      /larger than 64 MB/,
    );
  });

  it('refuses malformed JSON with 400 and what is not a notebook with 400', async () => {
    await expectRefused(await postImport(server.url, owner, '{"name": "x", '), 400, 'malformed_json', /JSON/);
    await expectRefused(
      await postImport(server.url, owner, importBody('x', { nbformat: 3 })),
      400,
      'invalid_notebook',
      /nbformat 3/,
    );
  });

  it('refuses a notebook larger than a live document may be with 413 notebook_too_large', async () => {
    const small = await startTestServer({ collabDocMaxBytes: 1024 * 1024 });
    try {
      const request = importBody('too-big', bigNotebook(3_000_000));
      const user = await createUser(small.url);
      const res = await postImport(small.url, user, request);
      const body = (await res.json()) as { error: string; id: string };
      expect({ status: res.status, id: body.id }).toEqual({ status: 413, id: 'notebook_too_large' });
      expect(body.error).toMatch(/as a live document; the limit is 1\.0 MB/);
    } finally {
      await small.stop();
    }
  }, 60_000);
});
