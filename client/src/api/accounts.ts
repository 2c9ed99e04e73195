import type {
  OrgMemberView,
  OrgProfileView,
  OrgRole,
  OrgView,
  SignedInView,
  StorageView,
  TokenRole,
  TokenView,
  UserProfileView,
  WhoAmIView,
} from '@atrium/protocol';
import { api } from './request';

const seg = encodeURIComponent;

/** Every accounts call the shell makes, one line each. */
export const accountsApi = {
  whoAmI: () => api<WhoAmIView>('GET', '/api/whoami-v2'),
  signUp: (name: string, password: string) => api<SignedInView>('POST', '/api/signup', { name, password }),
  logIn: (name: string, password: string) => api<SignedInView>('POST', '/api/login', { name, password }),
  logOut: () => api<void>('POST', '/api/logout'),
  user: (name: string) => api<UserProfileView>('GET', `/api/users/${seg(name)}`),
  org: (name: string) => api<OrgProfileView>('GET', `/api/organizations/${seg(name)}`),
  createOrg: (name: string, fullname?: string) =>
    api<OrgView>('POST', '/api/organizations', { name, fullname }),
  setMember: (org: string, user: string, role: OrgRole) =>
    api<OrgMemberView>('PUT', `/api/organizations/${seg(org)}/members/${seg(user)}`, { role }),
  removeMember: (org: string, user: string) =>
    api<void>('DELETE', `/api/organizations/${seg(org)}/members/${seg(user)}`),
  tokens: () => api<TokenView[]>('GET', '/api/settings/tokens'),
  storage: () => api<StorageView>('GET', '/api/settings/storage'),
  createToken: (displayName: string, role: TokenRole) =>
    api<TokenView>('POST', '/api/settings/tokens', { displayName, role }),
  revokeToken: (id: string) => api<void>('DELETE', `/api/settings/tokens/${seg(id)}`),
};
