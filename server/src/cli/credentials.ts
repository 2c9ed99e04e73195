import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the CLI reaches Atrium and as whom. */
export interface Credentials {
  url: string;
  token: string;
}

/** `$ATRIUM_HOME` or `~/.atrium`: the CLI's own folder. */
export const atriumHome = (env: NodeJS.ProcessEnv = process.env) =>
  env.ATRIUM_HOME || path.join(os.homedir(), '.atrium');
const credentialsFile = (env: NodeJS.ProcessEnv) => path.join(atriumHome(env), 'credentials.json');

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The saved login, overridden field by field by `ATRIUM_URL` and `ATRIUM_TOKEN`. */
export function readCredentials(env: NodeJS.ProcessEnv = process.env): Partial<Credentials> {
  let saved: Partial<Credentials> = {};
  try {
    saved = JSON.parse(fs.readFileSync(credentialsFile(env), 'utf8')) as Partial<Credentials>;
  } catch {
    // No login saved yet.
  }
  return { url: env.ATRIUM_URL || saved.url, token: env.ATRIUM_TOKEN || saved.token };
}

/** Saves the login readable by its owner only, since the token can write. */
export function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
