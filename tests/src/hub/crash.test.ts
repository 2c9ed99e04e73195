import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  type ServerProcess,
  spawnServer,
  tempDataDir,
  waitFor,
} from '../harness/index.js';

describe('the Hub across a kill -9', () => {
  const dataDir = tempDataDir('atrium-hub-crash');
  let proc: ServerProcess | undefined;
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    if (proc) await proc.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged commit and leaves no partial blob from an upload cut off by the crash', async () => {
    proc = await spawnServer(dataDir);
    const alice = await createUser(proc.url);
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${proc!.url}${p}`, {
        ...init,
        headers: { ...bearer(alice.token), ...(init.headers as Record<string, string>) },
      });
    expect(
      (
        await api('/api/repos/create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'durable' }),
        })
      ).status,
    ).toBe(200);
    const content = randomBytes(4096).toString('base64');
    const commit = await api(`/api/models/${alice.name}/durable/commit/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: [
        { key: 'header', value: { summary: 'keep me' } },
        { key: 'file', value: { path: 'data.txt', content: Buffer.from(content).toString('base64') } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    });
    expect(commit.status).toBe(200);
    const { commitOid } = (await commit.json()) as { commitOid: string };

    // Start a large LFS upload and kill the server while it is streaming.
    const big = randomBytes(8 * 1024 * 1024);
    const oid = createHash('sha256').update(big).digest('hex');
    const batch = await api(`/${alice.name}/durable.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', objects: [{ oid, size: big.length }] }),
    });
    const href = ((await batch.json()) as { objects: { actions: { upload: { href: string } } }[] })
      .objects[0]!.actions.upload.href;
    const req = http.request(href, { method: 'PUT', headers: { 'content-length': String(big.length) } });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.write(big.subarray(0, 4 * 1024 * 1024), () => resolve()));
    // The partial upload is on disk (in blobs/tmp) when the server dies.
    const tmpDir = path.join(dataDir, 'blobs', 'tmp');
    await waitFor(() => fs.readdirSync(tmpDir).length > 0, { what: 'the partial upload in blobs/tmp' });
    expect(fs.readdirSync(tmpDir).length).toBe(1);
    proc.child.kill('SIGKILL');
    await proc.exited;
    req.destroy();

    proc = await spawnServer(dataDir);
    const info = (await (await api(`/api/models/${alice.name}/durable`)).json()) as { sha: string };
    expect(info.sha).toBe(commitOid);
    expect(await (await api(`/${alice.name}/durable/resolve/main/data.txt`)).text()).toBe(content);
    expect(fs.readdirSync(path.join(dataDir, 'blobs', 'tmp'))).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'blobs', 'sha256', oid.slice(0, 2), oid.slice(2)))).toBe(false);
  }, 90_000);
});
