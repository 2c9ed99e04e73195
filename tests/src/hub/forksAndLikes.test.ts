import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

describe('duplicating, history and likes', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
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

  beforeAll(async () => {
    server = await startTestServer();
    alice = await createUser(server.url);
    bob = await createUser(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('duplicates a Space by reference: same files and commit, its own history afterwards, lineage shown both ways', async () => {
    const a = as(alice);
    const b = as(bob);
    expect(
      (
        await a('/api/repos/create', {
          method: 'POST',
          body: JSON.stringify({ name: 'origin', type: 'space', sdk: 'static' }),
        })
      ).status,
    ).toBe(200);
    const commit = await a(`/api/spaces/${alice.name}/origin/commit/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: [
        { key: 'header', value: { summary: 'Add app' } },
        {
          key: 'file',
          value: { path: 'app.js', content: Buffer.from('hello').toString('base64'), encoding: 'base64' },
        },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    });
    const { commitOid } = (await commit.json()) as { commitOid: string };

    const dup = await b(`/api/spaces/${alice.name}/origin/duplicate`, {
      method: 'POST',
      body: JSON.stringify({ repository: `${bob.name}/copy` }),
    });
    expect(dup.status).toBe(200);
    const copy = (await (await b(`/api/spaces/${bob.name}/copy`)).json()) as {
      sha: string;
      sdk: string;
      duplicatedFrom: { id: string; commit: string };
    };
    expect(copy.sha).toBe(commitOid);
    expect(copy.sdk).toBe('static');
    expect(copy.duplicatedFrom).toEqual({ type: 'space', id: `${alice.name}/origin`, commit: commitOid });
    const origin = (await (await a(`/api/spaces/${alice.name}/origin`)).json()) as { forks: number };
    expect(origin.forks).toBe(1);
    const forks = (await (await a(`/api/spaces/${alice.name}/origin/forks`)).json()) as { id: string }[];
    expect(forks.map((f) => f.id)).toEqual([`${bob.name}/copy`]);
    expect(await (await fetch(`${server.url}/spaces/${bob.name}/copy/resolve/main/app.js`)).text()).toBe(
      'hello',
    );

    // The copy moves on alone; the original does not see its commits.
    await b(`/api/spaces/${bob.name}/copy/commit/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: [
        { key: 'header', value: { summary: 'Mine now' } },
        { key: 'deletedFile', value: { path: 'app.js' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    });
    const history = (await (await b(`/api/spaces/${bob.name}/copy/commits/main`)).json()) as {
      title: string;
      authors: { user: string }[];
    }[];
    expect(history.map((c) => c.title)).toEqual(['Mine now', 'Add app', 'initial commit']);
    expect(history[0]!.authors[0]!.user).toBe(bob.name);
    expect((await fetch(`${server.url}/spaces/${alice.name}/origin/resolve/main/app.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/spaces/${bob.name}/copy/resolve/main/app.js`)).status).toBe(404);
    // Old commits stay reachable by id in the copy.
    expect(
      await (
        await fetch(`${server.url}/spaces/${bob.name}/copy/resolve/${commitOid.slice(0, 10)}/app.js`)
      ).text(),
    ).toBe('hello');
  });

  it("counts likes once per user, lists likers and a user's likes, and sorts by likes", async () => {
    const a = as(alice);
    const b = as(bob);
    await a('/api/repos/create', { method: 'POST', body: JSON.stringify({ name: 'liked' }) });
    await a('/api/repos/create', { method: 'POST', body: JSON.stringify({ name: 'unliked' }) });
    for (let i = 0; i < 2; i++)
      expect((await b(`/api/models/${alice.name}/liked/like`, { method: 'POST' })).status).toBe(200);
    await a(`/api/models/${alice.name}/liked/like`, { method: 'POST' });
    const info = (await (await b(`/api/models/${alice.name}/liked`)).json()) as { likes: number };
    expect(info.likes).toBe(2);
    const likers = (await (await b(`/api/models/${alice.name}/liked/likers`)).json()) as {
      likers: { user: string }[];
      liked: boolean;
    };
    expect(likers.likers.map((l) => l.user).sort()).toEqual([alice.name, bob.name].sort());
    expect(likers.liked).toBe(true);
    const bobLikes = (await (await fetch(`${server.url}/api/users/${bob.name}/likes`)).json()) as {
      repo: { name: string };
    }[];
    expect(bobLikes.map((l) => l.repo.name)).toEqual([`${alice.name}/liked`]);
    const sorted = (await (
      await fetch(`${server.url}/api/models?author=${alice.name}&sort=likes`)
    ).json()) as { id: string }[];
    expect(sorted[0]!.id).toBe(`${alice.name}/liked`);
    await b(`/api/models/${alice.name}/liked/like`, { method: 'DELETE' });
    expect(((await (await b(`/api/models/${alice.name}/liked`)).json()) as { likes: number }).likes).toBe(1);
  });

  it('renames a repository with /api/repos/move and keeps its files', async () => {
    const a = as(alice);
    await a('/api/repos/create', {
      method: 'POST',
      body: JSON.stringify({ name: 'before', files: [{ path: 'f.txt', content: 'Zg==' }] }),
    });
    const moved = await a('/api/repos/move', {
      method: 'POST',
      body: JSON.stringify({
        fromRepo: `${alice.name}/before`,
        toRepo: `${alice.name}/after`,
        type: 'model',
      }),
    });
    expect(moved.status).toBe(200);
    expect((await a(`/api/models/${alice.name}/before`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/${alice.name}/after/resolve/main/f.txt`)).text()).toBe('f');
  });
});
