import type { RepoType } from '@atrium/protocol';
import type { TestUser } from '../harness/index.js';

/**
 * The changes of access a person makes through the product, over HTTP with their session (as the
 * web app sends them): each answers, or throws with the server's message.
 */
async function call(url: string, actor: TestUser, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...actor.sessionHeaders, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

export const removeCollaborator = (
  url: string,
  admin: TestUser,
  type: RepoType,
  repo: string,
  user: string,
) => call(url, admin, 'DELETE', `/api/${type}s/${repo}/collaborators/${user}`);

export const setCollaborator = (
  url: string,
  admin: TestUser,
  type: RepoType,
  repo: string,
  user: string,
  role: 'read' | 'write' | 'admin',
) => call(url, admin, 'PUT', `/api/${type}s/${repo}/collaborators/${user}`, { role });

export const setPrivate = (url: string, admin: TestUser, type: RepoType, repo: string, value: boolean) =>
  call(url, admin, 'PUT', `/api/${type}s/${repo}/settings`, { private: value });

export const deleteRepo = (url: string, admin: TestUser, type: RepoType, repo: string) => {
  const [organization, name] = repo.split('/');
  return call(url, admin, 'DELETE', '/api/repos/delete', { type, name, organization });
};

export const moveRepo = (url: string, admin: TestUser, type: RepoType, fromRepo: string, toRepo: string) =>
  call(url, admin, 'POST', '/api/repos/move', { type, fromRepo, toRepo });

export const createOrg = (url: string, admin: TestUser, name: string) =>
  call(url, admin, 'POST', '/api/organizations', { name });

export const setOrgMember = (
  url: string,
  admin: TestUser,
  org: string,
  user: string,
  role: 'read' | 'write' | 'admin',
) => call(url, admin, 'PUT', `/api/organizations/${org}/members/${user}`, { role });

export const removeOrgMember = (url: string, admin: TestUser, org: string, user: string) =>
  call(url, admin, 'DELETE', `/api/organizations/${org}/members/${user}`);

/** The id of the user's API token (the one `createUser` made), as Settings lists it. */
export async function tokenIdOf(url: string, user: TestUser): Promise<string> {
  const list = (await (await call(url, user, 'GET', '/api/settings/tokens')).json()) as {
    id: string;
    displayName: string;
  }[];
  const token = list.find((t) => t.displayName === 'tests');
  if (!token) throw new Error('the test token is not listed');
  return token.id;
}

/** Revokes the user's API token from their session. */
export async function revokeToken(url: string, user: TestUser, tokenId?: string): Promise<void> {
  await call(url, user, 'DELETE', `/api/settings/tokens/${tokenId ?? (await tokenIdOf(url, user))}`);
}

export const logOut = (url: string, user: TestUser) => call(url, user, 'POST', '/api/logout');

/** A second browser session of the same user (logging in again), as another device would hold it. */
export async function logInAgain(url: string, user: TestUser): Promise<TestUser> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user.name, password: user.password }),
  });
  if (!res.ok) throw new Error(`log-in failed: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { ...user, cookie, csrf: csrfToken, sessionHeaders: { cookie, 'x-csrf-token': csrfToken } };
}
