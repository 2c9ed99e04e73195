/** A signed-in user as a browser would hold it: its cookies and CSRF token, plus an API token. */
export interface TestUser {
  name: string;
  password: string;
  cookie: string;
  csrf: string;
  /** A write token, for API clients such as @huggingface/hub. */
  token: string;
  /** Same-origin headers for cookie-authenticated changes. */
  sessionHeaders: Record<string, string>;
}

let counter = 0;
/** A unique, valid user name for a test. */
export const uniqueName = (prefix = 'user') =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** Signs up a user over HTTP and creates a write token for it. */
export async function createUser(
  baseUrl: string,
  name = uniqueName(),
  role: 'read' | 'write' = 'write',
): Promise<TestUser> {
  const password = 'correct horse battery staple';
  const res = await fetch(`${baseUrl}/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = cookieHeader(res);
  const sessionHeaders = { cookie, 'x-csrf-token': csrfToken };
  const tokenRes = await fetch(`${baseUrl}/api/settings/tokens`, {
    method: 'POST',
    headers: { ...sessionHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'tests', role }),
  });
  if (tokenRes.status !== 201)
    throw new Error(`token creation failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const { token } = (await tokenRes.json()) as { token: string };
  return { name, password, cookie, csrf: csrfToken, token, sessionHeaders };
}

/** Headers for a token-authenticated request. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
