// The real Atrium server in its own process with one user and one write token, for the load test.
import { loadConfig, startAtrium } from '@atrium/server';
import { signUp } from '../lib/accounts.js';

const atrium = await startAtrium(
  loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'warn' }),
);
const token = await signUp(atrium.url, 'bench-user', 'read');
console.log(`READY ${JSON.stringify({ url: atrium.url, token })}`);
process.on('SIGTERM', () => atrium.close().then(() => process.exit(0)));
