// The real Atrium server in its own process with one user and one write token, for the load test.
import { loadConfig, startAtrium } from '@atrium/server';

const atrium = await startAtrium(
  loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'warn' }),
);
const signup = await fetch(`${atrium.url}/api/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench-user', password: 'benchmark password' }),
});
const { csrfToken } = (await signup.json()) as { csrfToken: string };
const cookie = signup.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const created = await fetch(`${atrium.url}/api/settings/tokens`, {
  method: 'POST',
  headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
  body: JSON.stringify({ displayName: 'bench', role: 'read' }),
});
const { token } = (await created.json()) as { token: string };
console.log(`READY ${JSON.stringify({ url: atrium.url, token })}`);
process.on('SIGTERM', () => atrium.close().then(() => process.exit(0)));
