import type { AccessEvents } from '../../auth/AccessEvents.js';
import { SESSION_TTL_MS } from '../../auth/cookies.js';
import { hashSecret, randomSecret } from '../../auth/secrets.js';
import type { AccountStore } from '../AccountStore.js';

/** Opens a browser session: returns the session secret (cookie) and a CSRF secret to double-submit. */
export async function startSession(accounts: AccountStore, userId: string) {
  const session = randomSecret();
  await accounts.createSession(hashSecret(session), userId, Date.now() + SESSION_TTL_MS);
  return { session, csrf: randomSecret(18) };
}

/** Logs out: the session is deleted, and connections opened with it close. */
export async function endSession(
  accounts: AccountStore,
  events: AccessEvents,
  session: string | undefined,
  userId: string | undefined,
) {
  if (!session) return;
  const sessionId = hashSecret(session);
  await accounts.deleteSession(sessionId);
  if (userId) await events.publish({ kind: 'session-ended', sessionId, userId });
}
