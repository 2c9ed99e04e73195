import { SESSION_TTL_MS } from '../../auth/cookies.js';
import { hashSecret, randomSecret } from '../../auth/secrets.js';
import type { AccountStore } from '../AccountStore.js';

/** Opens a browser session: returns the session secret (cookie) and a CSRF secret to double-submit. */
export async function startSession(accounts: AccountStore, userId: string) {
  const session = randomSecret();
  await accounts.createSession(hashSecret(session), userId, Date.now() + SESSION_TTL_MS);
  return { session, csrf: randomSecret(18) };
}

export async function endSession(accounts: AccountStore, session: string | undefined) {
  if (session) await accounts.deleteSession(hashSecret(session));
}
