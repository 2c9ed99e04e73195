import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecuteRequestContent, KernelHeader, KernelMessage } from '@atrium/protocol';
import { WebSocketServer } from 'ws';
import { type Identity, requireWriter } from '../auth/Identity.js';
import { identityOfUpgrade } from '../auth/origin.js';
import { HttpError } from '../errors.js';
import type { Services } from '../services.js';
import { refuseUpgrade, type UpgradeRoute } from '../upgrade.js';
import { executeCode, findOwnedKernel, interruptKernel } from './commands.js';
import { ExecuteBody } from './schema.js';

const PREFIX = '/api/kernels/';

/**
 * `/api/kernels/:id/channels`: Jupyter's channels over one WebSocket. The client sends
 * execute_request / interrupt_request; it receives every message, parented to its own request.
 */
export function kernelChannelsRoute(services: Services): UpgradeRoute {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
  services.onShutdown(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return {
    prefix: PREFIX,
    handle: async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const match = /^\/api\/kernels\/([^/?]+)\/channels(?:\?.*)?$/.exec(req.url ?? '');
      if (!match?.[1]) return refuseUpgrade(socket, 404, 'No WebSocket endpoint here');
      const id = decodeURIComponent(match[1]);
      let user: ReturnType<typeof requireWriter>;
      let identity: Identity;
      try {
        identity = await identityOfUpgrade(services.resolveIdentity, req, services.config.publicUrl);
        user = requireWriter(identity);
        findOwnedKernel(services.runtime, user, id);
      } catch (err) {
        if (err instanceof HttpError) return refuseUpgrade(socket, err.status, err.message);
        throw err;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // A frame past maxPayload or a malformed one: ws closes the socket (1009, 1002, 1007) and
        // emits 'error', which must have a listener or it would end the process.
        ws.on('error', (err) => services.log.debug({ err, kernel: id }, 'kernel channel socket error'));
        // Signing out or revoking the token closes the socket (auth/README.md).
        ws.once(
          'close',
          services.liveAccess.claim({
            identity,
            need: 'write',
            lost: (code, reason) => ws.close(code, reason),
          }),
        );
        const reply = (parent: Partial<KernelHeader>) => (msg: KernelMessage) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ ...msg, parent_header: parent }));
        };
        ws.on('message', (data) => {
          // Closing (access lost): nothing more it sends is run.
          if (ws.readyState !== ws.OPEN) return;
          let msg: KernelMessage;
          try {
            msg = JSON.parse(String(data)) as KernelMessage;
            if (!msg?.header?.msg_type) throw new Error('missing header.msg_type');
          } catch (err) {
            ws.send(JSON.stringify({ error: `Malformed message: ${(err as Error).message}` }));
            return;
          }
          const parent = msg.header;
          const run = async () => {
            if (msg.header.msg_type === 'execute_request') {
              const content = ExecuteBody.parse(msg.content) as ExecuteRequestContent;
              await executeCode(services.runtime, user, id, content, reply(parent));
            } else if (msg.header.msg_type === 'interrupt_request') {
              await interruptKernel(services.runtime, user, id);
              ws.send(
                JSON.stringify({
                  header: { ...parent, msg_type: 'interrupt_reply' },
                  parent_header: parent,
                  metadata: {},
                  content: { status: 'ok' },
                }),
              );
            } else throw new Error(`Unsupported message type ${msg.header.msg_type}`);
          };
          run().catch((err: Error) => {
            if (ws.readyState === ws.OPEN)
              ws.send(JSON.stringify({ error: err.message, parent_header: parent }));
          });
        });
      });
    },
  };
}
