import fs from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { createUser, spawnServer, tempDataDir } from '../harness/index.js';

const dataDir = tempDataDir('atrium-lifecycle');
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('shuts down cleanly on SIGTERM and keeps every account across a restart, seeding only once', async () => {
  const first = await spawnServer(dataDir);
  const user = await createUser(first.url);
  const health = (await (await fetch(`${first.url}/api/health`)).json()) as {
    checks: { database: { ok: boolean } };
  };
  expect(health.checks.database.ok).toBe(true);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  // A clean shutdown checkpoints the WAL into the main file.
  expect(fs.existsSync(`${dataDir}/atrium.db-wal`) ? fs.statSync(`${dataDir}/atrium.db-wal`).size : 0).toBe(
    0,
  );

  const second = await spawnServer(dataDir);
  try {
    const res = await fetch(`${second.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user.name, password: user.password }),
    });
    expect(res.status).toBe(200);
    const who = await fetch(`${second.url}/api/whoami-v2`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(who.status).toBe(200);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});
