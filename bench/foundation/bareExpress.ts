// The peer: a bare express app answering a whoami-sized JSON body from a constant, no auth, no DB.
import type { AddressInfo } from 'node:net';
import express from 'express';

const body = {
  type: 'user',
  id: 'x',
  name: 'bench-user',
  fullname: 'bench-user',
  orgs: [],
  auth: { type: 'access_token' },
};
const app = express();
app.get('/api/whoami-v2', (_req, res) => {
  res.json(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(
    `READY ${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
