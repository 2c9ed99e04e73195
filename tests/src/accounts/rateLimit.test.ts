import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../harness/index.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ authRateLimit: 5 });
});
afterAll(async () => {
  await server.stop();
});

it('rate limits log-in attempts per client address with a 429 JSON error', async () => {
  const attempt = () =>
    fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nobody-here', password: 'wrong password' }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  const limited = await attempt();
  expect(limited.status).toBe(429);
  expect(await limited.json()).toMatchObject({ error: expect.stringMatching(/Too many/) });
  // Other routes keep serving.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});
