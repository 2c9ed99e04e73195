import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { whoAmI } from '@huggingface/hub';
import { DEFAULT_URL, readCredentials, saveCredentials } from './credentials.js';

interface LoginOptions {
  url?: string;
  token?: string;
}

async function tokenFromPassword(url: string): Promise<string> {
  const rl = createInterface({ input: stdin, output: stdout, terminal: stdin.isTTY });
  try {
    const name = (await rl.question('User name: ')).trim();
    const password = (await rl.question('Password: ')).trim();
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    if (!login.ok) {
      const body = (await login.json().catch(() => ({}))) as { error?: string };
      throw new Error(`login refused (${login.status}): ${body.error ?? ''}`);
    }
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const created = await fetch(`${url}/api/settings/tokens`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'atrium CLI', role: 'write' }),
    });
    if (!created.ok) throw new Error(`could not create a token (${created.status})`);
    return ((await created.json()) as { token: string }).token;
  } finally {
    rl.close();
  }
}

/** `atrium login`: checks a token (given, or made from a user name and password) and saves it. */
export async function login(options: LoginOptions): Promise<void> {
  const url = (options.url ?? readCredentials().url ?? DEFAULT_URL).replace(/\/$/, '');
  const token = options.token ?? (await tokenFromPassword(url));
  const me = await whoAmI({ hubUrl: url, accessToken: token });
  const file = saveCredentials({ url, token });
  console.log(`Logged in to ${url} as ${me.name}; token saved in ${file}`);
}
