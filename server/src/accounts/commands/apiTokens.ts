import type { TokenRole, TokenView } from '@atrium/protocol';
import type { AccessEvents } from '../../auth/AccessEvents.js';
import { hashSecret, newApiToken } from '../../auth/secrets.js';
import { notFound } from '../../errors.js';
import type { AccountRecord, AccountStore } from '../AccountStore.js';
import { tokenView } from '../views.js';

/** Creates an API token; its secret is in this answer only, the store keeps a hash. */
export async function createApiToken(
  accounts: AccountStore,
  user: AccountRecord,
  displayName: string,
  role: TokenRole,
): Promise<TokenView> {
  const token = newApiToken();
  const record = {
    id: crypto.randomUUID(),
    userId: user.id,
    displayName,
    role,
    createdAt: new Date().toISOString(),
  };
  await accounts.createToken({ ...record, hash: hashSecret(token) });
  return { ...tokenView({ ...record, lastUsedAt: null, revokedAt: null }), token };
}

export async function listApiTokens(accounts: AccountStore, user: AccountRecord): Promise<TokenView[]> {
  return (await accounts.listTokens(user.id)).map(tokenView);
}

/** Revokes a token: requests with it fail from now on, and connections opened with it close. */
export async function revokeApiToken(
  accounts: AccountStore,
  events: AccessEvents,
  user: AccountRecord,
  tokenId: string,
): Promise<void> {
  if (!(await accounts.revokeToken(user.id, tokenId, new Date().toISOString()))) {
    throw notFound('No such token', 'token_not_found');
  }
  await events.publish({ kind: 'token-revoked', tokenId, userId: user.id });
}
