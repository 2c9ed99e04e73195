import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

type Need = 'read' | 'write' | 'admin';
type Actor = 'anonymous' | 'unrelated' | 'reader' | 'writer' | 'admin' | 'writerReadToken';
type Perm = 'none' | 'read' | 'write' | 'admin';

interface Route {
  name: string;
  need: Need;
  /** Whether even reading needs a signed-in user (likes, duplicates). */
  needsUser?: boolean;
  request: (repo: string) => {
    method: string;
    path: string;
    body?: string;
    headers?: Record<string, string>;
  };
}

const json = (value: unknown) => ({
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
});
const ndjson = (lines: unknown[]) => ({
  body: lines.map((l) => JSON.stringify(l)).join('\n'),
  headers: { 'content-type': 'application/x-ndjson' },
});

/** Every Hub route, with the role it needs. */
const ROUTES: Route[] = [
  { name: 'info', need: 'read', request: (r) => ({ method: 'GET', path: `/api/models/${r}` }) },
  {
    name: 'info at revision',
    need: 'read',
    request: (r) => ({ method: 'GET', path: `/api/models/${r}/revision/main` }),
  },
  {
    name: 'tree',
    need: 'read',
    request: (r) => ({ method: 'GET', path: `/api/models/${r}/tree/main?recursive=true` }),
  },
  {
    name: 'paths-info',
    need: 'read',
    request: (r) => ({
      method: 'POST',
      path: `/api/models/${r}/paths-info/main`,
      ...json({ paths: ['a.txt'] }),
    }),
  },
  {
    name: 'commits',
    need: 'read',
    request: (r) => ({ method: 'GET', path: `/api/models/${r}/commits/main` }),
  },
  { name: 'refs', need: 'read', request: (r) => ({ method: 'GET', path: `/api/models/${r}/refs` }) },
  { name: 'resolve', need: 'read', request: (r) => ({ method: 'GET', path: `/${r}/resolve/main/a.txt` }) },
  {
    name: 'resolve HEAD',
    need: 'read',
    request: (r) => ({ method: 'HEAD', path: `/${r}/resolve/main/a.txt` }),
  },
  { name: 'raw', need: 'read', request: (r) => ({ method: 'GET', path: `/${r}/raw/main/a.txt` }) },
  { name: 'likers', need: 'read', request: (r) => ({ method: 'GET', path: `/api/models/${r}/likers` }) },
  { name: 'forks', need: 'read', request: (r) => ({ method: 'GET', path: `/api/models/${r}/forks` }) },
  {
    name: 'collaborators',
    need: 'read',
    request: (r) => ({ method: 'GET', path: `/api/models/${r}/collaborators` }),
  },
  {
    name: 'like',
    need: 'read',
    needsUser: true,
    request: (r) => ({ method: 'POST', path: `/api/models/${r}/like` }),
  },
  {
    name: 'unlike',
    need: 'read',
    needsUser: true,
    request: (r) => ({ method: 'DELETE', path: `/api/models/${r}/like` }),
  },
  {
    name: 'duplicate',
    need: 'read',
    needsUser: true,
    request: (r) => ({
      method: 'POST',
      path: `/api/models/${r}/duplicate`,
      ...json({ repository: `{me}/dup-${Math.random().toString(36).slice(2, 8)}` }),
    }),
  },
  {
    name: 'preupload',
    need: 'write',
    request: (r) => ({
      method: 'POST',
      path: `/api/models/${r}/preupload/main`,
      ...json({ files: [{ path: 'b.txt', size: 3, sample: 'YWJj' }] }),
    }),
  },
  {
    name: 'commit',
    need: 'write',
    request: (r) => ({
      method: 'POST',
      path: `/api/models/${r}/commit/main`,
      ...ndjson([
        { key: 'header', value: { summary: 'matrix' } },
        { key: 'file', value: { path: 'm.txt', content: 'eA==', encoding: 'base64' } },
      ]),
    }),
  },
  {
    name: 'lfs batch',
    need: 'write',
    request: (r) => ({
      method: 'POST',
      path: `/${r}.git/info/lfs/objects/batch`,
      body: JSON.stringify({ operation: 'upload', objects: [{ oid: 'a'.repeat(64), size: 1 }] }),
      headers: { 'content-type': 'application/vnd.git-lfs+json' },
    }),
  },
  {
    name: 'settings',
    need: 'admin',
    request: (r) => ({ method: 'PUT', path: `/api/models/${r}/settings`, ...json({}) }),
  },
  {
    name: 'set collaborator',
    need: 'admin',
    request: (r) => ({
      method: 'PUT',
      path: `/api/models/${r}/collaborators/{reader}`,
      ...json({ role: 'read' }),
    }),
  },
  {
    name: 'delete',
    need: 'admin',
    request: (r) => ({
      method: 'DELETE',
      path: '/api/repos/delete',
      ...json({ type: 'model', name: r.split('/')[1], organization: r.split('/')[0] }),
    }),
  },
  {
    name: 'move',
    need: 'admin',
    request: (r) => ({
      method: 'POST',
      path: '/api/repos/move',
      ...json({ type: 'model', fromRepo: r, toRepo: `${r}-moved` }),
    }),
  },
];

const RANK: Record<Perm, number> = { none: 0, read: 1, write: 2, admin: 3 };

describe('authorization on every Hub route', () => {
  let server: TestServer;
  const users: Partial<Record<Actor, TestUser & { readToken?: string }>> = {};
  let owner: TestUser;

  async function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
    return fetch(`${server.url}${path}`, init);
  }

  beforeAll(async () => {
    server = await startTestServer();
    owner = await createUser(server.url);
    users.admin = owner;
    users.reader = await createUser(server.url);
    users.writer = await createUser(server.url);
    users.unrelated = await createUser(server.url);
    const readTok = await createUser(server.url, undefined, 'read');
    users.writerReadToken = readTok;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const headersOf = (actor: Actor): Record<string, string> =>
    actor === 'anonymous' ? {} : bearer(users[actor]!.token);

  async function makeRepo(name: string, isPrivate: boolean) {
    const res = await api('/api/repos/create', {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        type: 'model',
        private: isPrivate,
        files: [{ path: 'a.txt', content: Buffer.from('hello').toString('base64'), encoding: 'base64' }],
      }),
    });
    expect(res.status).toBe(200);
    const id = `${owner.name}/${name}`;
    for (const [actor, role] of [
      ['reader', 'read'],
      ['writer', 'write'],
      ['writerReadToken', 'write'],
    ] as const) {
      const r = await api(`/api/models/${id}/collaborators/${users[actor]!.name}`, {
        method: 'PUT',
        headers: { ...bearer(owner.token), 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      });
      expect(r.status).toBe(200);
    }
    return id;
  }

  const permOf = (actor: Actor, isPrivate: boolean): Perm => {
    switch (actor) {
      case 'admin':
        return 'admin';
      case 'writer':
        return 'write';
      case 'writerReadToken':
      case 'reader':
        return 'read';
      default:
        return isPrivate ? 'none' : 'read';
    }
  };

  /** Credentials that can never change anything are refused before the repository is even looked up. */
  function expectedStatus(route: Route, actor: Actor, perm: Perm): number {
    const changes = route.needsUser || route.need !== 'read';
    if (changes && actor === 'anonymous') return 401;
    if (changes && actor === 'writerReadToken') return 403;
    if (perm === 'none') return 404;
    if (RANK[perm] < RANK[route.need]) return 403;
    return 200;
  }

  for (const isPrivate of [false, true]) {
    it(`answers each actor on a ${isPrivate ? 'private' : 'public'} repository exactly per its role, and a private repository is indistinguishable from a missing one`, async () => {
      const failures: string[] = [];
      for (const actor of [
        'anonymous',
        'unrelated',
        'reader',
        'writerReadToken',
        'writer',
        'admin',
      ] as Actor[]) {
        for (const route of ROUTES) {
          // Destructive routes get a fresh repository each time they are expected to succeed.
          const repo = await makeRepo(
            `m-${isPrivate ? 'p' : 'o'}-${actor}-${route.name.replace(/\W/g, '')}`.slice(0, 40),
            isPrivate,
          );
          const perm = permOf(actor, isPrivate);
          const want = expectedStatus(route, actor, perm);
          const me = actor === 'anonymous' ? 'nobody' : users[actor]!.name;
          const fill = (s: string) => s.replaceAll('{me}', me).replaceAll('{reader}', users.reader!.name);
          const req = route.request(repo);
          const res = await api(fill(req.path), {
            method: req.method,
            headers: { ...headersOf(actor), ...(req.headers ?? {}) },
            body: req.body ? fill(req.body) : undefined,
          });
          const body = await res.text();
          if (res.status !== want)
            failures.push(`${actor} ${route.name}: ${res.status} (wanted ${want}) ${body.slice(0, 120)}`);
          if (perm === 'none') {
            // Zero leaks: the same answer as for a repository that never existed.
            const ghost = route.request(`${owner.name}/never-existed`);
            const ghostRes = await api(fill(ghost.path), {
              method: ghost.method,
              headers: { ...headersOf(actor), ...(ghost.headers ?? {}) },
              body: ghost.body ? fill(ghost.body) : undefined,
            });
            const ghostBody = (await ghostRes.text()).replaceAll('never-existed', repo.split('/')[1]!);
            if (
              ghostRes.status !== res.status ||
              ghostBody !== body ||
              ghostRes.headers.get('x-error-code') !== res.headers.get('x-error-code')
            ) {
              failures.push(`${actor} ${route.name}: private answer differs from a missing repository's`);
            }
          }
        }
        // Listing: private repositories appear only to those who may read them.
        const listed = await api(`/api/models?author=${owner.name}&limit=1000`, {
          headers: headersOf(actor),
        });
        const ids = ((await listed.json()) as { id: string }[]).map((r) => r.id);
        const sees = ids.some((id) => id.startsWith(`${owner.name}/m-${isPrivate ? 'p' : 'o'}-`));
        if (sees !== (permOf(actor, isPrivate) !== 'none')) failures.push(`${actor} list: sees=${sees}`);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it('gives organization members their organization role on its repositories', async () => {
    const orgName = `org-${Date.now().toString(36)}`;
    const create = await api('/api/organizations', {
      method: 'POST',
      headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: orgName }),
    });
    expect(create.status).toBe(201);
    for (const [who, role] of [
      [users.reader!, 'read'],
      [users.writer!, 'write'],
    ] as const) {
      const r = await api(`/api/organizations/${orgName}/members/${who.name}`, {
        method: 'PUT',
        headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      });
      expect(r.status).toBe(200);
    }
    const made = await api('/api/repos/create', {
      method: 'POST',
      headers: { ...bearer(users.writer!.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'org-model', organization: orgName, private: true }),
    });
    expect(made.status).toBe(200);
    const readerMade = await api('/api/repos/create', {
      method: 'POST',
      headers: { ...bearer(users.reader!.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nope', organization: orgName }),
    });
    expect(readerMade.status).toBe(403);
    const commit = (token: string) =>
      api(`/api/models/${orgName}/org-model/commit/main`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/x-ndjson' },
        body: `${JSON.stringify({ key: 'header', value: { summary: 'x' } })}\n${JSON.stringify({ key: 'file', value: { path: 'x.txt', content: 'eA==', encoding: 'base64' } })}`,
      });
    expect((await commit(users.reader!.token)).status).toBe(403);
    expect((await commit(users.writer!.token)).status).toBe(200);
    expect((await commit(users.unrelated!.token)).status).toBe(404);
    expect(
      (await api(`/api/models/${orgName}/org-model`, { headers: bearer(users.reader!.token) })).status,
    ).toBe(200);
    expect((await api(`/api/models/${orgName}/org-model`)).status).toBe(404);
  });
});
