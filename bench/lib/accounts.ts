/** A user with an API token, made over HTTP like a person would: sign up, then create a token. */
export async function signUp(url: string, name: string, role: 'read' | 'write' = 'write'): Promise<string> {
  const res = await fetch(`${url}/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'correct horse battery staple' }),
  });
  if (res.status !== 201) throw new Error(`sign-up of ${name} failed: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const tok = await fetch(`${url}/api/settings/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'bench', role }),
  });
  return ((await tok.json()) as { token: string }).token;
}
