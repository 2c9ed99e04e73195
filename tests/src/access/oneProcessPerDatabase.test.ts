import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../harness/index.js';
import { hasPostgres, startTestPostgres, type TestPostgres } from '../harness/postgres.js';

// Access changes reach only the process they happen in: a second process on the same database would
// keep revoked sockets open (README "Scaling out"), so it must not start at all.
describe.skipIf(!hasPostgres())('one Atrium process per PostgreSQL database', () => {
  let postgres: TestPostgres;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    postgres = await startTestPostgres();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await postgres?.stop();
  });

  it('refuses to start a second process on a database another is serving, and starts it once that one stops', async () => {
    const databaseUrl = await postgres.createDatabase();
    const first = await startTestServer({ databaseUrl, seed: false });
    servers.push(first);
    await expect(startTestServer({ databaseUrl, seed: false })).rejects.toThrow(
      /Another Atrium process is already serving this PostgreSQL database/,
    );
    // The first keeps serving.
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    // Another database on the same PostgreSQL server is another instance: no conflict.
    servers.push(await startTestServer({ databaseUrl: await postgres.createDatabase(), seed: false }));

    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    const second = await startTestServer({ databaseUrl, seed: false });
    servers.push(second);
    expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
  });
});
