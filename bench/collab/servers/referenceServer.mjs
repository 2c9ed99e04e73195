// The reference y-websocket server (@y/websocket-server 0.1.1, in-memory) on the same URL shape
// as Atrium (/collab/<document>), in its own process; same IPC as atriumServer.mjs.
import http from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const docName = decodeURIComponent((req.url ?? '').split('?')[0].replace(/^\/collab\//, ''));
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${server.address().port}` });
});
process.on('message', (msg) => {
  if (msg?.type === 'mem') {
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    process.send?.({ type: 'mem', ...process.memoryUsage() });
  } else if (msg?.type === 'stop') {
    process.exit(0);
  }
});

// The benchmark went away: so do we.
process.on('disconnect', () => process.exit(0));
