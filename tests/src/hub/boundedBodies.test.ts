import { createHash } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

/** Bytes that do not compress or repeat: a model file someone commits inline. */
function pseudoRandomBytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** POSTs with node:http, which writes the buffer as it is (fetch copies it on this loop first). */
function post(
  url: string,
  token: string,
  type: string,
  body: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': type, 'content-length': body.length },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What handling the body on the event loop costs at the least, measured here and now: parse it,
 * decode the file, hash it. A stall shorter than this shows the work was not done on the loop,
 * whatever the load on the machine (both are measured under the same load).
 */
function onLoopCost(json: string, content: (parsed: unknown) => string): number {
  const started = performance.now();
  const parsed = JSON.parse(json);
  sha256(Buffer.from(content(parsed), 'base64'));
  return performance.now() - started;
}

/** Runs `fn` and reports the longest event-loop stall meanwhile (the server runs in this process). */
async function longestStall<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    return { result: await fn(), stallMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

let server: TestServer;
let alice: TestUser;
// Built before the server starts, so this work is not counted as the server's.
const bigFile = pseudoRandomBytes(36 * 1024 * 1024);
const createBody = Buffer.from(
  JSON.stringify({
    name: 'inline-big',
    files: [{ path: 'weights.dat', content: bigFile.toString('base64') }],
  }),
);
const commitBody = Buffer.from(
  [
    JSON.stringify({ key: 'header', value: { summary: 'a big inline file' } }),
    JSON.stringify({
      key: 'file',
      value: { path: 'more.dat', content: bigFile.toString('base64'), encoding: 'base64' },
    }),
  ].join('\n'),
);

beforeAll(async () => {
  server = await startTestServer();
  alice = await createUser(server.url);
  await server.services.runtime.whenReady();
});
afterAll(async () => {
  await server?.stop();
});

async function downloaded(repo: string, file: string): Promise<Buffer> {
  const res = await fetch(`${server.url}/${repo}/resolve/main/${file}`, { headers: bearer(alice.token) });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('large Hub bodies are parsed off the event loop', () => {
  it('creates a repository with a 36 MB inline file (48 MB of JSON) without stalling the loop; the bytes are intact', async () => {
    expect(createBody.length).toBeGreaterThan(48 * 1024 * 1024);
    const { result, stallMs } = await longestStall(() =>
      post(`${server.url}/api/repos/create`, alice.token, 'application/json', createBody),
    );
    expect(result.status).toBe(200);
    expect(stallMs).toBeLessThan(
      onLoopCost(
        createBody.toString(),
        (b) => (b as { files: { content: string }[] }).files[0]?.content ?? '',
      ),
    );
    expect(sha256(await downloaded(`${alice.name}/inline-big`, 'weights.dat'))).toBe(sha256(bigFile));
  }, 120_000);

  it('commits an NDJSON line carrying a 36 MB inline file without stalling the loop; the bytes are intact', async () => {
    const { result, stallMs } = await longestStall(() =>
      post(
        `${server.url}/api/models/${alice.name}/inline-big/commit/main`,
        alice.token,
        'application/x-ndjson',
        commitBody,
      ),
    );
    expect(result.status).toBe(200);
    const line = commitBody.toString().split('\n')[1] as string;
    expect(stallMs).toBeLessThan(
      onLoopCost(line, (l) => (l as { value: { content: string } }).value.content),
    );
    expect(sha256(await downloaded(`${alice.name}/inline-big`, 'more.dat'))).toBe(sha256(bigFile));
  }, 120_000);

  it('answers a preupload whose .gitattributes pattern made the old matcher backtrack for minutes at once', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/api/models/${alice.name}/inline-big/preupload/main`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        gitAttributes: `${'*a'.repeat(12)}*b filter=lfs diff=lfs merge=lfs -text\n`,
        files: [
          { path: 'a'.repeat(900), size: 10 },
          { path: `${'a'.repeat(899)}b`, size: 10 },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { files: { uploadMode: string }[] };
    expect(body.files.map((f) => f.uploadMode)).toEqual(['regular', 'lfs']);
    // Tripwire for a hang: the regular expression took longer than this test's whole timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses malformed JSON in a repository creation with 400 and keeps serving', async () => {
    const res = await post(
      `${server.url}/api/repos/create`,
      alice.token,
      'application/json',
      Buffer.from('{"name":'),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ id: 'malformed_json' });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
