import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  startTestServer,
  type TestServer,
  type TestUser,
  waitFor,
} from '../harness/index.js';

describe('bad input to the Hub is refused with a clear 4xx and changes nothing', () => {
  let server: TestServer;
  let alice: TestUser;
  const repo = () => `${alice.name}/guarded`;

  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${server.url}${p}`, {
      ...init,
      headers: { ...bearer(alice.token), ...(init.headers as Record<string, string>) },
    });
  const head = async () => ((await (await api(`/api/models/${repo()}`)).json()) as { sha: string }).sha;
  const files = async () =>
    ((await (await api(`/api/models/${repo()}/tree/main?recursive=true`)).json()) as { path: string }[])
      .map((f) => f.path)
      .sort();
  const commit = (lines: unknown[]) =>
    api(`/api/models/${repo()}/commit/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
  const file = (p: string, text = 'x') => ({
    key: 'file',
    value: { path: p, content: Buffer.from(text).toString('base64'), encoding: 'base64' },
  });
  const tmpFiles = () => fs.readdirSync(path.join(server.dataDir, 'blobs', 'tmp'));

  /** Asks the LFS batch endpoint for an upload link for this object. */
  async function uploadLink(oid: string, size: number) {
    const res = await api(`/${repo()}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.git-lfs+json', accept: 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', transfers: ['basic'], objects: [{ oid, size }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      objects: { actions?: { upload: { href: string }; verify: { href: string } } }[];
    };
    return body.objects[0]!.actions!;
  }

  beforeAll(async () => {
    server = await startTestServer();
    alice = await createUser(server.url);
    const res = await api('/api/repos/create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'guarded',
        files: [{ path: 'keep.txt', content: Buffer.from('keep').toString('base64') }],
      }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses paths with ../, absolute paths, NUL bytes, backslashes and .git/ segments', async () => {
    const before = await head();
    for (const bad of [
      '../escape.txt',
      'a/../../b',
      '/etc/passwd',
      'nul\u0000byte',
      '.git/config',
      'dir/.git/hooks/x',
      'a//b',
      'C:\\win',
      './x',
    ]) {
      const res = await commit([{ key: 'header', value: { summary: 'bad' } }, file('fine.txt'), file(bad)]);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/Invalid path/);
    }
    expect(await head()).toBe(before);
    expect(await files()).toEqual(['.gitattributes', 'keep.txt']);
  });

  it('reports the blob store as writable in /api/health', async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      checks: Record<string, { ok: boolean }>;
    };
    expect(health.checks.blobs?.ok).toBe(true);
  });

  it('refuses repository names that break the rules', async () => {
    for (const name of ['-dash', 'a', 'has space', 'x'.repeat(100), 'dot..dot', 'models', 'a/b']) {
      const res = await api('/api/repos/create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(res.status, name).toBe(400);
    }
  });

  it('refuses a commit on a stale parentCommit with 409', async () => {
    const base = await head();
    expect(
      (await commit([{ key: 'header', value: { summary: 'one', parentCommit: base } }, file('one.txt')]))
        .status,
    ).toBe(200);
    const after = await head();
    const stale = await commit([
      { key: 'header', value: { summary: 'two', parentCommit: base } },
      file('two.txt'),
    ]);
    expect(stale.status).toBe(409);
    expect(await head()).toBe(after);
    expect(await files()).not.toContain('two.txt');
  });

  it('refuses malformed NDJSON, a missing header, unknown operations and deleting what is not there', async () => {
    const before = await head();
    const raw = (body: string) =>
      api(`/api/models/${repo()}/commit/main`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
    expect((await raw('{not json')).status).toBe(400);
    expect((await raw(JSON.stringify(file('a.txt')))).status).toBe(400);
    expect(
      (
        await commit([
          { key: 'header', value: {} },
          { key: 'chmod', value: { path: 'a' } },
        ])
      ).status,
    ).toBe(400);
    expect(
      (
        await commit([
          { key: 'header', value: {} },
          { key: 'file', value: { path: 'b.txt', content: '!!!', encoding: 'base64' } },
        ])
      ).status,
    ).toBe(400);
    const missing = await commit([
      { key: 'header', value: {} },
      { key: 'deletedFile', value: { path: 'ghost.txt' } },
    ]);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-error-code')).toBe('EntryNotFound');
    expect((await commit([{ key: 'header', value: {} }, file('keep.txt/inner.txt')])).status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('refuses an LFS file whose bytes were never uploaded', async () => {
    const before = await head();
    const res = await commit([
      { key: 'header', value: {} },
      { key: 'lfsFile', value: { path: 'w.bin', algo: 'sha256', oid: 'b'.repeat(64), size: 10 } },
    ]);
    expect(res.status).toBe(400);
    expect(await head()).toBe(before);
  });

  it('refuses an upload whose bytes do not match the sha256, keeps nothing, and fails verify with 422', async () => {
    const claimed = randomBytes(4096);
    const oid = createHash('sha256').update(claimed).digest('hex');
    const { upload, verify } = await uploadLink(oid, claimed.length);
    const wrong = randomBytes(4096);
    const put = await fetch(upload.href, { method: 'PUT', body: wrong });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { error: string }).error).toMatch(/sha256/);
    const v = await fetch(verify.href, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ oid, size: claimed.length }),
    });
    expect(v.status).toBe(422);
    expect(fs.existsSync(path.join(server.dataDir, 'blobs', 'sha256', oid.slice(0, 2), oid.slice(2)))).toBe(
      false,
    );
    expect(tmpFiles()).toEqual([]);
    // The right bytes then pass, and verify agrees.
    expect((await fetch(upload.href, { method: 'PUT', body: claimed })).status).toBe(200);
    const ok = await fetch(verify.href, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ oid, size: claimed.length }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a Content-Length that lies about the object size, and a tampered upload link', async () => {
    const content = randomBytes(1000);
    const oid = createHash('sha256').update(content).digest('hex');
    const { upload } = await uploadLink(oid, content.length);
    const shorter = await fetch(upload.href, { method: 'PUT', body: content.subarray(0, 500) });
    expect(shorter.status).toBe(400);
    const tampered = await fetch(upload.href.replace(/sig=[^&]+/, 'sig=forged'), {
      method: 'PUT',
      body: content,
    });
    expect(tampered.status).toBe(403);
    const resized = await fetch(upload.href.replace(/size=\d+/, 'size=500'), {
      method: 'PUT',
      body: content.subarray(0, 500),
    });
    expect(resized.status).toBe(403);
    expect(tmpFiles()).toEqual([]);
  });

  it('drops a truncated upload (the connection closes early) without keeping any blob', async () => {
    const content = randomBytes(2 * 1024 * 1024);
    const oid = createHash('sha256').update(content).digest('hex');
    const { upload } = await uploadLink(oid, content.length);
    const url = new URL(upload.href);
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': String(content.length) } });
    const closed = new Promise<void>((resolve) => {
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.on('close', () => resolve());
    });
    req.write(content.subarray(0, 1024 * 1024));
    // Cut the connection while the server is writing the upload to disk.
    await waitFor(() => tmpFiles().length > 0, { what: 'the partial upload in blobs/tmp' });
    req.destroy();
    await closed;
    await waitFor(() => tmpFiles().length === 0, { what: 'the server to drop the partial upload' });
    expect(fs.existsSync(path.join(server.dataDir, 'blobs', 'sha256', oid.slice(0, 2), oid.slice(2)))).toBe(
      false,
    );
    const res = await commit([
      { key: 'header', value: {} },
      { key: 'lfsFile', value: { path: 'half.bin', algo: 'sha256', oid, size: content.length } },
    ]);
    expect(res.status).toBe(400);
  });

  it('answers bad ranges with 416, traversal in download paths with EntryNotFound, and unknown revisions with RevisionNotFound', async () => {
    const r416 = await api(`/${repo()}/resolve/main/keep.txt`, { headers: { range: 'bytes=100-200' } });
    expect(r416.status).toBe(416);
    expect(r416.headers.get('content-range')).toBe('bytes */4');
    const trav = await api(`/${repo()}/resolve/main/%2e%2e%2f%2e%2e%2fatrium.db`);
    expect(trav.status).toBe(404);
    expect(trav.headers.get('x-error-code')).toBe('EntryNotFound');
    const rev = await api(`/${repo()}/resolve/nope/keep.txt`);
    expect(rev.status).toBe(404);
    expect(rev.headers.get('x-error-code')).toBe('RevisionNotFound');
    const suffix = await api(`/${repo()}/resolve/main/keep.txt`, { headers: { range: 'bytes=-2' } });
    expect(suffix.status).toBe(206);
    expect(await suffix.text()).toBe('ep');
  });
  it('answers a download whose stored bytes are gone with a 500 instead of leaving it hanging', async () => {
    const text = `lost ${randomBytes(8).toString('hex')}`;
    expect(
      (await commit([{ key: 'header', value: { summary: 'to lose' } }, file('lost.txt', text)])).status,
    ).toBe(200);
    const sha256 = createHash('sha256').update(text).digest('hex');
    fs.rmSync(path.join(server.dataDir, 'blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2)));
    const res = await api(`/${repo()}/resolve/main/lost.txt`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(500);
    expect(await res.json()).toHaveProperty('error');
    expect((await api(`/${repo()}/resolve/main/keep.txt`)).status).toBe(200);
  });
});
