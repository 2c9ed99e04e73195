import type { TokenRole } from '@atrium/protocol';
import type { AccountRecord } from '../accounts/AccountStore.js';
import { forbidden, unauthorized } from '../errors.js';

/** Who is making a request, and through what. */
export interface Identity {
  user: AccountRecord | null;
  via: 'anonymous' | 'session' | 'token';
  /** The token's role when authenticated by token; a session may do everything its user may. */
  tokenRole: TokenRole | null;
  tokenId: string | null;
  tokenName: string | null;
  /** The session's stored id (the hash of its cookie) when authenticated by session: logging out ends exactly it. */
  sessionId: string | null;
}

export const ANONYMOUS: Identity = Object.freeze({
  user: null,
  via: 'anonymous',
  tokenRole: null,
  tokenId: null,
  tokenName: null,
  sessionId: null,
});

/** The signed-in user, or a 401. */
export function requireUser(identity: Identity): AccountRecord {
  if (!identity.user) throw unauthorized();
  return identity.user;
}

/** The signed-in user allowed to change things: a read token never writes. */
export function requireWriter(identity: Identity): AccountRecord {
  const user = requireUser(identity);
  if (identity.via === 'token' && identity.tokenRole !== 'write') {
    throw forbidden('This token has the read role and cannot make changes', 'token_read_only');
  }
  return user;
}

/** Whether the credential (not the user's rights on a resource) allows writing. */
export const credentialCanWrite = (identity: Identity): boolean =>
  identity.user !== null && (identity.via === 'session' || identity.tokenRole === 'write');
