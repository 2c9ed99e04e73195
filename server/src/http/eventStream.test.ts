import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_STREAM_MAX_BUFFERED_BYTES, openEventStream, SLOW_READER_GRACE_MS } from './eventStream.js';

describe('openEventStream', () => {
  let close: () => void = () => {};
  afterEach(() => close());

  /** A server whose one route writes `chunks` events of 1 MiB each, as fast as it can. */
  async function serve(chunks: number) {
    let ended: (how: { writableEnded: boolean; sent: number }) => void = () => {};
    const outcome = new Promise<{ writableEnded: boolean; sent: number }>((r) => {
      ended = r;
    });
    let released: () => void = () => {};
    /** Resolves once the server has let go of the response's connection (and what it buffered). */
    const connectionClosed = new Promise<void>((r) => {
      released = r;
    });
    const app = express();
    app.get('/stream', (_req, res) => {
      res.once('close', () => released());
      const write = openEventStream(res);
      const payload = 'x'.repeat(1024 * 1024);
      let sent = 0;
      const next = () => {
        if (sent === chunks || res.writableEnded) {
          ended({ writableEnded: res.writableEnded, sent });
          return res.end();
        }
        write({ event: 'chunk', data: payload });
        sent++;
        setImmediate(next);
      };
      next();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    close = () => server.close();
    return { port: (server.address() as AddressInfo).port, outcome, connectionClosed };
  }

  it('closes a reader that stops reading, with the slow-reader code, after a bounded backlog', async () => {
    const limitMb = EVENT_STREAM_MAX_BUFFERED_BYTES / 1024 / 1024;
    const { port, outcome } = await serve(limitMb * 4);
    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.pause(); // never read: the kernel's buffers fill, then the server's
    const { writableEnded, sent } = await outcome;
    expect(writableEnded).toBe(true);
    expect(sent).toBeLessThan(limitMb * 4);
    // Reading now, the stream's last event says why it ended.
    let tail = '';
    socket.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('latin1')).slice(-4096);
    });
    socket.resume();
    await new Promise((r) => socket.once('end', r));
    expect(tail).toMatch(/"code":4408,"reason":"the stream was not read fast enough"/);
    socket.destroy();
  });

  it('cuts a reader that never reads again soon after the slow-reader close, freeing its backlog', async () => {
    const limitMb = EVENT_STREAM_MAX_BUFFERED_BYTES / 1024 / 1024;
    const { port, outcome, connectionClosed } = await serve(limitMb * 4);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.pause(); // never read, and never hang up
    expect((await outcome).writableEnded).toBe(true);
    const closedAt = Date.now();
    // A generous tripwire for a hang: without the cut the connection stays open as long as the client.
    const tripwire = new Promise<'still open'>((r) =>
      setTimeout(() => r('still open'), SLOW_READER_GRACE_MS * 4),
    );
    expect(await Promise.race([connectionClosed.then(() => 'closed' as const), tripwire])).toBe('closed');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(SLOW_READER_GRACE_MS - 100);
    socket.destroy();
  });

  it('carries every event to a reader that keeps up, with no slow-reader close', async () => {
    const { port, outcome } = await serve(20);
    const res = await fetch(`http://127.0.0.1:${port}/stream`);
    const text = await res.text();
    expect((await outcome).sent).toBe(20);
    expect(text.match(/event: chunk/g)).toHaveLength(20);
    expect(text).not.toContain('4408');
  });
});
