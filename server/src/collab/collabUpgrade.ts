import type { IncomingMessage } from 'node:http';
import { COLLAB_PATH } from '@atrium/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Identity } from '../auth/Identity.js';
import { identityOfUpgrade } from '../auth/origin.js';
import { HttpError } from '../errors.js';
import type { Services } from '../services.js';
import { refuseUpgrade, type UpgradeRoute } from '../upgrade.js';
import type { CollabServer } from './CollabServer.js';
import { documentNameFromUrl } from './documentName.js';
import { collabLimits } from './limits.js';

// Dead peers (laptop lids, dropped Wi-Fi) are found by ping and let go.
const PING_INTERVAL_MS = 30_000;

/** Routes `ws://host/collab/<document>` upgrades to the room core, with the caller's identity. */
export function collabUpgradeRoute(services: Services, collab: CollabServer): UpgradeRoute {
  // One byte over the cap so an oversized frame reaches us and gets the named close code;
  // frames far larger are cut by ws itself (1009) before they are buffered.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: collabLimits.maxFrameBytes + 1,
    perMessageDeflate: false,
  });
  const alive = new WeakSet<WebSocket>();
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();
  services.onShutdown(() => {
    clearInterval(pinger);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });

  return {
    prefix: COLLAB_PATH,
    handle: async (req: IncomingMessage, socket, head) => {
      const documentName = documentNameFromUrl(req.url ?? '', COLLAB_PATH) ?? '';
      let identity: Identity;
      try {
        identity = await identityOfUpgrade(services.resolveIdentity, req, services.config.publicUrl);
      } catch (err) {
        if (err instanceof HttpError) return refuseUpgrade(socket, err.status, err.message);
        throw err;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.add(ws);
        ws.on('pong', () => alive.add(ws));
        collab.handleConnection(ws, { documentName, identity });
      });
    },
  };
}
