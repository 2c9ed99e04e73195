import { randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * A minimal WebSocket client for the join benchmark: it performs the upgrade, sends one masked
 * frame, and only counts the bytes of incoming frames instead of assembling them, so 150 clients
 * in one process measure the server's delivery rather than the clients' copying.
 */
export function leanJoin(
  url: string,
  firstFrame: Uint8Array,
  isAnswer: (firstBytes: Buffer) => boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url.replace(/^ws/, 'http'));
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('error', reject);
    req.on('upgrade', (_res, socket, head) => {
      socket.write(maskedFrame(firstFrame));
      let pending: Buffer = head;
      let remaining = -1;
      let opcode = 0;
      let payloadStart: Buffer | null = null;
      let wanted = false;
      const onData = (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          if (remaining < 0) {
            if (pending.length < 2) return;
            opcode = pending[0]! & 0x0f;
            let len = pending[1]! & 0x7f;
            let offset = 2;
            if (len === 126) {
              if (pending.length < 4) return;
              len = pending.readUInt16BE(2);
              offset = 4;
            } else if (len === 127) {
              if (pending.length < 10) return;
              len = Number(pending.readBigUInt64BE(2));
              offset = 10;
            }
            remaining = len;
            pending = pending.subarray(offset);
            payloadStart = null;
          }
          if (payloadStart === null && pending.length >= Math.min(2, remaining)) {
            payloadStart = Buffer.from(pending.subarray(0, 2));
            wanted = opcode === 2 && isAnswer(payloadStart);
          }
          const take = Math.min(remaining, pending.length);
          remaining -= take;
          pending = pending.subarray(take);
          if (remaining > 0) return;
          remaining = -1;
          if (wanted) {
            socket.destroy();
            resolve(performance.now());
            return;
          }
          if (pending.length === 0) return;
        }
      };
      socket.on('data', onData);
      socket.on('error', () => {});
      if (head.length) onData(Buffer.alloc(0));
    });
    req.end();
  });
}

function maskedFrame(payload: Uint8Array): Buffer {
  const mask = randomBytes(4);
  const header = Buffer.from([0x82, 0x80 | payload.length]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}
