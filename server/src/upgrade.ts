import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.js';

/** A WebSocket endpoint: express does not see upgrades, so they are routed here by path prefix. */
export interface UpgradeRoute {
  prefix: string;
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;
}

/** Refuses an upgrade with a plain HTTP answer, since no WebSocket exists yet to carry a close code. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Error'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function routeUpgrades(server: Server, routes: UpgradeRoute[], log: Logger): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    const path = req.url ?? '/';
    const route = routes.find((r) => path.startsWith(r.prefix));
    if (!route) return refuseUpgrade(socket, 404, `No WebSocket endpoint at ${path.split('?')[0]}`);
    Promise.resolve(route.handle(req, socket, head)).catch((err) => {
      log.error({ err, path }, 'upgrade handler failed');
      refuseUpgrade(socket, 500, 'Internal server error');
    });
  });
}
