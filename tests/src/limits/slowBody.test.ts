import net from 'node:net';
import { createRepo, uploadFiles } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

// Request bodies that trickle in are timed out (issue 12 part 9): the body must arrive within the
// timeout plus a second per ATRIUM_BODY_MIN_RATE bytes, so a slow-loris upload gets 408 and its socket
// closes, while honest slow uploads, long downloads and streams are never cut.

/** Writes raw HTTP on a socket; resolves with everything the server sent once it closes the socket. */
function rawRequest(port: number, head: string, trickle: { chunk: string; everyMs: number }) {
  return new Promise<{ response: string; closedAfterMs: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => socket.writable && socket.write(trickle.chunk), trickle.everyMs);
    });
    socket.on('data', (d) => {
      response += d.toString();
    });
    socket.on('error', () => {}); // the server may reset it mid-write
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    setTimeout(() => reject(new Error(`still open after 30 s: ${response}`)), 30_000).unref();
  });
}

describe('a deadline on request bodies', () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    // 1 s for a body, plus a second per 2 kB received.
    server = await startTestServer({ seed: false, bodyTimeoutMs: 1000, bodyMinRate: 2048 });
    user = await createUser(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('answers 408 to a body that trickles in, closes its socket, and keeps serving', async () => {
    const body = 100_000;
    const { response, closedAfterMs } = await rawRequest(
      server.port,
      `POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body}\r\n\r\n{"name":"`,
      { chunk: 'aaaaaaaaaa', everyMs: 200 },
    );
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toContain(
      '{"error":"The request body arrived too slowly and timed out","id":"body_timeout"}',
    );
    // 1 s plus the few seconds 50 bytes/s earns at 2 kB per second: a tripwire, not a measurement.
    expect(closedAfterMs).toBeLessThan(10_000);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('lets an honest upload that outlasts the base timeout finish, earning time as bytes arrive', async () => {
    // 24 kB at ~8 kB/s: three seconds in all, well past the 1 s base, always ahead of its deadline.
    const padding = 'p'.repeat(24 * 1024);
    const payload = `{"name":"nobody","password":"${padding}"}`;
    const pieces = payload.match(/[\s\S]{1,800}/g) ?? [];
    const { response } = await new Promise<{ response: string }>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let response = '';
      socket.on('connect', () => {
        socket.write(
          `POST /api/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`,
        );
        const timer = setInterval(() => {
          const next = pieces.shift();
          if (next === undefined) return clearInterval(timer);
          socket.write(next);
        }, 100);
      });
      socket.on('data', (d) => {
        response += d.toString();
      });
      socket.on('close', () => resolve({ response }));
    });
    expect(response).not.toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toMatch(/^HTTP\/1\.1 (400|401) /);
  });

  it('never cuts a download that is read slowly for longer than the timeout', async () => {
    const name = `${user.name}/big`;
    const hub = { hubUrl: server.url, accessToken: user.token };
    await createRepo({ ...hub, repo: { type: 'model', name } });
    const bytes = new Uint8Array(8 * 1024 * 1024).map((_, i) => i % 251);
    await uploadFiles({
      ...hub,
      repo: { type: 'model', name },
      files: [{ path: 'w.bin', content: new Blob([bytes]) }],
    });
    const res = await fetch(`${server.url}/${name}/resolve/main/w.bin`, { headers: bearer(user.token) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    const started = Date.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value.byteLength;
      // Slow reader: the whole download takes well over the 1 s body timeout.
      if (Date.now() - started < 2500) await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(received).toBe(bytes.length);
  });
});
