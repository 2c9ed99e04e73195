import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

describe('Hub garbage collection', () => {
  let server: TestServer;
  let admin: TestUser;
  let bob: TestUser;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const blobFile = (hex: string) =>
    path.join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
  /** Makes every stored blob look a week old, past any grace period. */
  const ageAllBlobs = () => {
    const base = path.join(server.dataDir, 'blobs', 'sha256');
    const old = new Date(Date.now() - 7 * 86_400_000);
    for (const shard of fs.readdirSync(base))
      for (const f of fs.readdirSync(path.join(base, shard)))
        fs.utimesSync(path.join(base, shard, f), old, old);
  };
  const as =
    (u: TestUser) =>
    (p: string, init: RequestInit = {}) =>
      fetch(`${server.url}${p}`, {
        ...init,
        headers: {
          ...bearer(u.token),
          'content-type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      });
  const create = (u: TestUser, name: string, files: Record<string, string>) =>
    as(u)('/api/repos/create', {
      method: 'POST',
      body: JSON.stringify({
        name,
        files: Object.entries(files).map(([p, c]) => ({
          path: p,
          content: Buffer.from(c).toString('base64'),
        })),
      }),
    });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await createUser(server.url); // the first user is the instance admin
    bob = await createUser(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is for instance admins only', async () => {
    expect((await as(bob)('/api/admin/hub/gc', { method: 'POST' })).status).toBe(403);
    expect((await fetch(`${server.url}/api/admin/hub/gc`, { method: 'POST' })).status).toBe(401);
  });

  it('frees the blobs of deleted repositories but keeps history, shared blobs and what forks still use', async () => {
    expect(
      (await create(bob, 'doomed', { 'only-doomed.txt': 'doomed bytes', 'shared.txt': 'shared bytes' }))
        .status,
    ).toBe(200);
    expect((await create(bob, 'alive', { 'shared.txt': 'shared bytes' })).status).toBe(200);
    expect((await create(bob, 'forked-source', { 'fork-only.txt': 'kept by the fork' })).status).toBe(200);
    // An old version stays reachable through history.
    await as(bob)(`/api/models/${bob.name}/alive/commit/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ key: 'header', value: { summary: 'rm' } })}\n${JSON.stringify({ key: 'deletedFile', value: { path: 'shared.txt' } })}`,
    });
    expect(
      (
        await as(bob)(`/api/models/${bob.name}/forked-source/duplicate`, {
          method: 'POST',
          body: JSON.stringify({ repository: `${bob.name}/the-fork` }),
        })
      ).status,
    ).toBe(200);
    for (const name of ['doomed', 'forked-source']) {
      expect(
        (
          await as(bob)('/api/repos/delete', {
            method: 'DELETE',
            body: JSON.stringify({ name, type: 'model' }),
          })
        ).status,
      ).toBe(200);
    }

    // Within the grace period nothing is swept.
    const young = (await (await as(admin)('/api/admin/hub/gc', { method: 'POST' })).json()) as {
      blobs: number;
      commits: number;
    };
    expect(young.blobs).toBe(0);
    expect(young.commits).toBeGreaterThan(0);
    expect(fs.existsSync(blobFile(sha('doomed bytes')))).toBe(true);

    ageAllBlobs();
    const swept = (await (await as(admin)('/api/admin/hub/gc', { method: 'POST' })).json()) as {
      blobs: number;
    };
    expect(swept.blobs).toBe(1);
    expect(fs.existsSync(blobFile(sha('doomed bytes')))).toBe(false);
    expect(fs.existsSync(blobFile(sha('shared bytes')))).toBe(true);
    expect(fs.existsSync(blobFile(sha('kept by the fork')))).toBe(true);
    expect(await (await fetch(`${server.url}/${bob.name}/the-fork/resolve/main/fork-only.txt`)).text()).toBe(
      'kept by the fork',
    );
    const history = (await (
      await fetch(`${server.url}/api/models/${bob.name}/alive/commits/main`)
    ).json()) as { id: string }[];
    expect(
      await (await fetch(`${server.url}/${bob.name}/alive/resolve/${history[1]!.id}/shared.txt`)).text(),
    ).toBe('shared bytes');

    // Reusing an old, unreferenced blob refreshes it, so a collection racing the commit spares it.
    expect((await create(bob, 'ghost', { 'g.txt': 'reuse me' })).status).toBe(200);
    await as(bob)('/api/repos/delete', {
      method: 'DELETE',
      body: JSON.stringify({ name: 'ghost', type: 'model' }),
    });
    await as(admin)('/api/admin/hub/gc', { method: 'POST' });
    ageAllBlobs();
    expect((await create(bob, 'reuser', { 'again.txt': 'reuse me' })).status).toBe(200);
    expect(fs.statSync(blobFile(sha('reuse me'))).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    await as(admin)('/api/admin/hub/gc', { method: 'POST' });
    expect(await (await fetch(`${server.url}/${bob.name}/reuser/resolve/main/again.txt`)).text()).toBe(
      'reuse me',
    );
  });
});
