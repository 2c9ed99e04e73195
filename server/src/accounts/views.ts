import type { OrgView, TokenView, UserView } from '@atrium/protocol';
import type { AccountRecord, TokenRecord } from './AccountStore.js';

/** Avatars are generated from the name so none has to be uploaded or fetched. */
export const avatarUrl = (name: string) => `/api/avatars/${encodeURIComponent(name)}.svg`;

export function accountView(a: AccountRecord): UserView | OrgView {
  const base = {
    id: a.id,
    name: a.name,
    fullname: a.fullname,
    avatarUrl: avatarUrl(a.name),
    createdAt: a.createdAt,
  };
  return a.kind === 'user' ? { type: 'user', ...base, isAdmin: a.isAdmin } : { type: 'org', ...base };
}

export const tokenView = (t: TokenRecord): TokenView => ({
  id: t.id,
  displayName: t.displayName,
  role: t.role,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
});
