import { createHash, randomBytes } from 'node:crypto';
import {
  createRepo,
  deleteFile,
  deleteRepo,
  downloadFile,
  fileExists,
  listFiles,
  listModels,
  listSpaces,
  modelInfo,
  spaceInfo,
  uploadFiles,
  whoAmI,
} from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

/** Drives Atrium with the unmodified @huggingface/hub client, pointed at it with hubUrl. */
describe('the official @huggingface/hub client against Atrium', () => {
  let server: TestServer;
  let alice: TestUser;
  let hub: { hubUrl: string; accessToken: string };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await createUser(server.url);
    hub = { hubUrl: server.url, accessToken: alice.token };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('whoAmI names the token owner', async () => {
    const me = await whoAmI(hub);
    expect(me.name).toBe(alice.name);
    expect(me.type).toBe('user');
  });

  it('creates a model, uploads small files and a 50 MB file through LFS, lists, downloads, ranges and deletes', async () => {
    const repo = { type: 'model' as const, name: `${alice.name}/tiny-model` };
    const created = await createRepo({ ...hub, repo });
    expect(created.repoUrl).toBe(`${server.url}/${alice.name}/tiny-model`);

    const big = randomBytes(50 * 1024 * 1024);
    const bigSha = createHash('sha256').update(big).digest('hex');
    const readme =
      '---\nlicense: mit\ntags: [tiny, test]\npipeline_tag: text-classification\n---\n# Tiny model\n';
    await uploadFiles({
      ...hub,
      repo,
      files: [
        { path: 'README.md', content: new Blob([readme]) },
        { path: 'config.json', content: new Blob([JSON.stringify({ hidden_size: 8 })]) },
        { path: 'weights/model.bin', content: new Blob([big]) },
      ],
    });

    const files = [];
    for await (const f of listFiles({ ...hub, repo, recursive: true })) files.push(f);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual([
      '.gitattributes',
      'README.md',
      'config.json',
      'weights',
      'weights/model.bin',
    ]);
    expect(byPath.get('weights/model.bin')?.lfs?.oid).toBe(bigSha);
    expect(byPath.get('weights/model.bin')?.size).toBe(big.length);
    expect(byPath.get('weights')?.type).toBe('directory');

    const config = await downloadFile({ ...hub, repo, path: 'config.json' });
    expect(await config?.text()).toBe('{"hidden_size":8}');

    const blob = await downloadFile({ ...hub, repo, path: 'weights/model.bin' });
    expect(blob?.size).toBe(big.length);
    const slice = Buffer.from(await blob!.slice(1_000_000, 1_000_100).arrayBuffer());
    expect(slice.equals(big.subarray(1_000_000, 1_000_100))).toBe(true);
    const whole = Buffer.from(await blob!.arrayBuffer());
    expect(createHash('sha256').update(whole).digest('hex')).toBe(bigSha);

    const ranged = await fetch(`${server.url}/${repo.name}/resolve/main/weights/model.bin`, {
      headers: { ...bearer(alice.token), range: 'bytes=10-19' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 10-19/${big.length}`);
    expect(ranged.headers.get('etag')).toBe(`"${bigSha}"`);
    expect(ranged.headers.get('x-repo-commit')).toMatch(/^[0-9a-f]{40}$/);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(big.subarray(10, 20))).toBe(true);

    const info = await modelInfo({
      ...hub,
      name: repo.name,
      additionalFields: ['cardData', 'sha', 'tags'],
    });
    expect(info.task).toBe('text-classification');
    expect(info.cardData).toMatchObject({ license: 'mit' });
    expect(info.tags).toContain('tiny');

    expect(await fileExists({ ...hub, repo, path: 'config.json' })).toBe(true);
    expect(await fileExists({ ...hub, repo, path: 'nope.json' })).toBe(false);
    await deleteFile({ ...hub, repo, path: 'config.json' });
    expect(await fileExists({ ...hub, repo, path: 'config.json' })).toBe(false);
    expect(await downloadFile({ ...hub, repo, path: 'config.json' })).toBeNull();

    await deleteRepo({ ...hub, repo });
    const gone = await fetch(`${server.url}/api/models/${repo.name}`, { headers: bearer(alice.token) });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('x-error-code')).toBe('RepoNotFound');
  }, 120_000);

  it('creates a Space with its sdk and reads it back with spaceInfo', async () => {
    const repo = { type: 'space' as const, name: `${alice.name}/demo-space` };
    await createRepo({ ...hub, repo, sdk: 'static' });
    await uploadFiles({ ...hub, repo, files: [{ path: 'index.html', content: new Blob(['<h1>hi</h1>']) }] });
    const info = await spaceInfo({ ...hub, name: repo.name });
    expect(info.sdk).toBe('static');
    const html = await downloadFile({ ...hub, repo, path: 'index.html' });
    expect(await html?.text()).toBe('<h1>hi</h1>');
  });

  it('lists models and Spaces with search, author and Link pagination', async () => {
    const bob = await createUser(server.url);
    const bobHub = { hubUrl: server.url, accessToken: bob.token };
    for (let i = 0; i < 7; i++) {
      await createRepo({ ...bobHub, repo: { type: 'model', name: `${bob.name}/pager-${i}` } });
    }
    await createRepo({ ...bobHub, repo: { type: 'model', name: `${bob.name}/other` } });
    await createRepo({ ...bobHub, repo: { type: 'space', name: `${bob.name}/pager-space` } });

    // limit=3 per page: the client must follow rel="next" twice to see all seven.
    const pageUrl = `${server.url}/api/models?author=${bob.name}&search=pager&limit=3`;
    const first = await fetch(pageUrl);
    expect(first.headers.get('link')).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*cursor=.*>; rel="next"$/,
    );

    const names: string[] = [];
    const pagedFetch: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === '/api/models' && !url.searchParams.has('cursor'))
        url.searchParams.set('limit', '3');
      return fetch(url, init);
    };
    for await (const m of listModels({
      ...bobHub,
      search: { owner: bob.name, query: 'pager' },
      fetch: pagedFetch,
    }))
      names.push(m.name);
    expect(names.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `${bob.name}/pager-${i}`));

    const spaces = [];
    for await (const s of listSpaces({ ...bobHub, search: { owner: bob.name } })) spaces.push(s.name);
    expect(spaces).toEqual([`${bob.name}/pager-space`]);
  });
});
