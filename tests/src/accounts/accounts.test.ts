import { whoAmI } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, uniqueName } from '../harness/index.js';

let server: TestServer;
const userCount = async () =>
  (
    await server.services.db.kysely
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'user')
      .executeTakeFirstOrThrow()
  ).n;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('sign up', () => {
  it('creates the account and opens a session with an httpOnly, SameSite=Lax cookie', async () => {
    const name = uniqueName();
    const res = await post('/api/signup', { name, password: 'long enough password' });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('atrium_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    const who = await fetch(`${server.url}/api/whoami-v2`, { headers: { cookie: session!.split(';')[0]! } });
    expect(((await who.json()) as { name: string }).name).toBe(name);
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const res = await post(
      '/api/signup',
      { name: uniqueName(), password: 'long enough password' },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('atrium_session='))).toMatch(/Secure/);
  });

  it.each([
    ['../x', /Username/],
    ['admin', /reserved/],
    ['a'.repeat(200), /2 to 42/],
    ['x', /2 to 42/],
    ['bad name', /letters, digits/],
    ['-dash', /letters, digits/],
  ])('refuses the name %j with a 400 and writes nothing', async (name, message) => {
    const before = await userCount();
    const res = await post('/api/signup', { name, password: 'long enough password' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(message);
    expect(await userCount()).toBe(before);
  });

  it('refuses a taken name, in any case, with a 409', async () => {
    const name = uniqueName('Taken');
    expect((await post('/api/signup', { name, password: 'long enough password' })).status).toBe(201);
    const before = await userCount();
    const res = await post('/api/signup', { name: name.toLowerCase(), password: 'another password' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/already taken/);
    expect(await userCount()).toBe(before);
  });

  it('refuses a short password', async () => {
    const res = await post('/api/signup', { name: uniqueName(), password: 'short' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('Password must be at least 8 characters');
  });

  it('refuses a sign-up posted from another site', async () => {
    const res = await post(
      '/api/signup',
      { name: uniqueName(), password: 'long enough password' },
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
  });
});

describe('log in and out', () => {
  it('logs in with the right password and out again', async () => {
    const user = await createUser(server.url);
    const res = await post('/api/login', { name: user.name, password: user.password });
    expect(res.status).toBe(200);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const out = await fetch(`${server.url}/api/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.status).toBe(204);
    const who = await fetch(`${server.url}/api/whoami-v2`, { headers: { cookie } });
    expect(who.status).toBe(401);
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const user = await createUser(server.url);
    const wrong = await post('/api/login', { name: user.name, password: 'not the password' });
    const unknown = await post('/api/login', { name: uniqueName('ghost'), password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('refuses a cookie-authenticated change without the CSRF header', async () => {
    const user = await createUser(server.url);
    const res = await post('/api/organizations', { name: uniqueName('org') }, { cookie: user.cookie });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { id: string }).id).toBe('csrf');
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with a 400 JSON error', async () => {
    const res = await post('/api/login', '{"name": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Malformed JSON/);
  });

  it('answers a 10 MB body with a 413 JSON error and keeps serving', async () => {
    const before = await userCount();
    const huge = JSON.stringify({ name: uniqueName(), password: 'x'.repeat(10 * 1024 * 1024) });
    const res = await post('/api/signup', huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large/);
    expect(await userCount()).toBe(before);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('answers unknown API routes with a 404 JSON error', async () => {
    const res = await fetch(`${server.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: expect.stringMatching(/No route/) });
  });
});

describe('API tokens', () => {
  it('shows a token once, lists it without its secret, and authenticates the Hub client', async () => {
    const user = await createUser(server.url);
    const list = await fetch(`${server.url}/api/settings/tokens`, { headers: bearer(user.token) });
    const tokens = (await list.json()) as Record<string, unknown>[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).not.toHaveProperty('token');
    expect(JSON.stringify(tokens)).not.toContain(user.token);
    const stored = await server.services.db.kysely.selectFrom('api_tokens').select('hash').execute();
    expect(stored.some((r) => r.hash === user.token)).toBe(false);

    const info = await whoAmI({ accessToken: user.token, hubUrl: server.url });
    expect(info.name).toBe(user.name);
    expect(info.type).toBe('user');
    expect(info.auth.accessToken?.role).toBe('write');
  });

  it('never lets a read token make changes', async () => {
    const user = await createUser(server.url, uniqueName(), 'read');
    const res = await post('/api/organizations', { name: uniqueName('org') }, bearer(user.token));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/read role/);
  });

  it('refuses revoked, unknown and malformed tokens with a 401', async () => {
    const user = await createUser(server.url);
    const [token] = (await (
      await fetch(`${server.url}/api/settings/tokens`, { headers: bearer(user.token) })
    ).json()) as { id: string }[];
    const revoke = await fetch(`${server.url}/api/settings/tokens/${token!.id}`, {
      method: 'DELETE',
      headers: user.sessionHeaders,
    });
    expect(revoke.status).toBe(204);
    for (const authorization of [`Bearer ${user.token}`, 'Bearer atr_unknown', 'Basic abc']) {
      const res = await fetch(`${server.url}/api/whoami-v2`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await res.json()).toHaveProperty('error');
    }
  });

  it('does not let a token mint more tokens', async () => {
    const user = await createUser(server.url);
    const res = await post(
      '/api/settings/tokens',
      { displayName: 'child', role: 'write' },
      bearer(user.token),
    );
    expect(res.status).toBe(404);
  });
});

describe('organizations', () => {
  it('lets the creator add members with roles, shown in whoami-v2', async () => {
    const admin = await createUser(server.url);
    const member = await createUser(server.url);
    const org = uniqueName('org');
    expect((await post('/api/organizations', { name: org }, bearer(admin.token))).status).toBe(201);
    const add = await fetch(`${server.url}/api/organizations/${org}/members/${member.name}`, {
      method: 'PUT',
      headers: { ...bearer(admin.token), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'write' }),
    });
    expect(add.status).toBe(200);
    const info = await whoAmI({ accessToken: member.token, hubUrl: server.url });
    if (info.type !== 'user') throw new Error(`expected a user, got ${info.type}`);
    expect(info.orgs.map((o) => [o.name, (o as { roleInOrg?: string }).roleInOrg])).toEqual([[org, 'write']]);
    const page = (await (await fetch(`${server.url}/api/organizations/${org}`)).json()) as {
      members: { user: string; role: string }[];
    };
    expect(page.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: admin.name, role: 'admin' }),
        expect.objectContaining({ user: member.name, role: 'write' }),
      ]),
    );
  });

  it('refuses member changes from a non-admin and removal of the last admin', async () => {
    const admin = await createUser(server.url);
    const writer = await createUser(server.url);
    const org = uniqueName('org');
    await post('/api/organizations', { name: org }, bearer(admin.token));
    const put = (actor: string, user: string, role: string) =>
      fetch(`${server.url}/api/organizations/${org}/members/${user}`, {
        method: 'PUT',
        headers: { ...bearer(actor), 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      });
    await put(admin.token, writer.name, 'write');
    expect((await put(writer.token, writer.name, 'admin')).status).toBe(403);
    const demote = await put(admin.token, admin.name, 'read');
    expect(demote.status).toBe(409);
  });

  it('refuses an organization whose name a user already has', async () => {
    const user = await createUser(server.url);
    const res = await post('/api/organizations', { name: user.name }, bearer(user.token));
    expect(res.status).toBe(409);
  });

  it('seeds the atrium organization once', async () => {
    const res = await fetch(`${server.url}/api/organizations/atrium`);
    expect(res.status).toBe(200);
  });
});
