import { createHash, randomBytes } from 'node:crypto';
import { demo, Image, JSON as Json } from '@atrium/sandbox/sdk';
import { InProcessDemoBackend } from '@atrium/server/spaces/gradio/index';
import { createRepo, deleteRepo, uploadFiles } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

// Per-account storage quota for uploads (issue 12 part 9): hub commits and LFS uploads are refused with
// the Hub's 403 past the owner's quota, with a message saying where it stands; demo (Gradio) uploads
// are bounded per person; both are visible to the user at GET /api/settings/storage.
const KB = 1024;

describe('storage quotas', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      seed: false,
      storageQuotaBytes: 1024 * KB,
      demoUploadQuotaBytes: 300 * KB,
    });
    alice = await createUser(server.url);
    bob = await createUser(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  const hubOf = (user: TestUser) => ({ hubUrl: server.url, accessToken: user.token });
  const upload = (user: TestUser, name: string, path: string, bytes: Uint8Array) =>
    uploadFiles({
      ...hubOf(user),
      repo: { type: 'model', name: `${user.name}/${name}` },
      files: [{ path, content: new Blob([new Uint8Array(bytes)]) }],
    });
  const storageOf = async (user: TestUser) =>
    (await (await fetch(`${server.url}/api/settings/storage`, { headers: bearer(user.token) })).json()) as {
      storage: { name: string; usedBytes: number; quotaBytes: number };
      demoUploads: { usedBytes: number; quotaBytes: number };
    };

  it("refuses an LFS upload that would pass the owner's quota, saying where it stands, and counts nothing twice", async () => {
    await createRepo({ ...hubOf(alice), repo: { type: 'model', name: `${alice.name}/weights` } });
    const first = randomBytes(600 * KB);
    await upload(alice, 'weights', 'a.bin', first);
    const used = await storageOf(alice);
    expect(used.storage.usedBytes).toBeGreaterThanOrEqual(600 * KB);
    expect(used.storage.quotaBytes).toBe(1024 * KB);

    const second = randomBytes(600 * KB);
    await expect(upload(alice, 'weights', 'b.bin', second)).rejects.toThrow(/Storage limit reached/);
    // The same refusal as the Git LFS batch API answers it, before a byte is sent.
    const batch = await fetch(`${server.url}/${alice.name}/weights.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({
        operation: 'upload',
        objects: [{ oid: createHash('sha256').update(second).digest('hex'), size: second.length }],
      }),
    });
    expect(batch.status).toBe(403);
    const refusal = (await batch.json()) as { error: string; id: string };
    expect(refusal.id).toBe('storage_limit_reached');
    expect(refusal.error).toMatch(
      new RegExp(
        `^Storage limit reached: ${alice.name} holds 6\\d\\d kB of its 1.05 MB, and this upload needs 614 kB more\\.`,
      ),
    );
    // Bytes the account already holds cost nothing again.
    await upload(alice, 'weights', 'copy-of-a.bin', first);
    expect((await storageOf(alice)).storage.usedBytes).toBe(used.storage.usedBytes);
  });

  it('refuses an inline commit past the quota too, while another user uploads freely', async () => {
    const text = new TextEncoder().encode('x'.repeat(500 * KB));
    await expect(upload(alice, 'weights', 'notes.txt', text)).rejects.toThrow(/Storage limit reached/);
    await createRepo({ ...hubOf(bob), repo: { type: 'model', name: `${bob.name}/his` } });
    await upload(bob, 'his', 'notes.txt', text);
    expect((await storageOf(bob)).storage.usedBytes).toBeGreaterThanOrEqual(500 * KB);
  });

  it('gives the storage back when a repository is deleted', async () => {
    await deleteRepo({ ...hubOf(alice), repo: { type: 'model', name: `${alice.name}/weights` } });
    expect((await storageOf(alice)).storage.usedBytes).toBe(0);
    await createRepo({ ...hubOf(alice), repo: { type: 'model', name: `${alice.name}/again` } });
    await upload(alice, 'again', 'b.bin', randomBytes(600 * KB));
  });

  it('lets a duplicate take its owner past the quota (duplicates copy nothing), then refuses the next', async () => {
    const carol = await createUser(server.url);
    const duplicate = (source: string, name: string) =>
      fetch(`${server.url}/api/models/${source}/duplicate`, {
        method: 'POST',
        headers: { ...bearer(carol.token), 'content-type': 'application/json' },
        body: JSON.stringify({ repository: `${carol.name}/${name}` }),
      });
    expect((await duplicate(`${bob.name}/his`, 'one')).status).toBe(200); // 500 kB
    expect((await duplicate(`${alice.name}/again`, 'two')).status).toBe(200); // + 600 kB: past 1 MB
    expect((await storageOf(carol)).storage.usedBytes).toBeGreaterThan(1024 * KB);
    const refused = await duplicate(`${bob.name}/his`, 'three');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      new RegExp(`^Storage limit reached: ${carol.name} holds 1\\.\\d+ MB of its 1\\.05 MB\\. Delete`),
    );
  });

  it('bounds what one person holds in demo uploads, and shows it to them', async () => {
    const inspect = demo({
      fn: ({ image }) => ({ info: { size: image.size } }),
      inputs: [Image({ name: 'image' })],
      outputs: [Json({ name: 'info' })],
    });
    await server.services.gradio.register(`${alice.name}/uploads`, new InProcessDemoBackend(inspect));
    const send = (user: TestUser) => {
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(200 * KB)], { type: 'image/png' }), 'x.png');
      return fetch(`${server.url}/spaces/${alice.name}/uploads/app/gradio_api/upload`, {
        method: 'POST',
        headers: bearer(user.token),
        body: form,
      });
    };
    expect((await send(bob)).status).toBe(200);
    const refused = await send(bob);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^Upload limit reached: you hold 205 kB of demo uploads, of 307 kB per person, and this file needs 205 kB\./,
    );
    // Someone else's uploads are theirs to make.
    expect((await send(alice)).status).toBe(200);
    expect((await storageOf(bob)).demoUploads).toEqual({ usedBytes: 200 * KB, quotaBytes: 300 * KB });
    // The app going away gives the room back.
    server.services.gradio.unregister(`${alice.name}/uploads`);
    expect((await storageOf(bob)).demoUploads.usedBytes).toBe(0);
  });
});
