import type {
  OrgMemberView,
  OrgRole,
  OrgView,
  StorageView,
  TokenRole,
  TokenView,
  UserView,
} from '@atrium/protocol';
import { api } from './request';

/** The signed-in user as GET /api/whoami-v2 describes it (the Hub's shape, trimmed to what pages use). */
export interface WhoAmI {
  type: 'user';
  id: string;
  name: string;
  fullname: string;
  avatarUrl: string;
  isAdmin: boolean;
  orgs: { name: string; fullname: string; avatarUrl: string; roleInOrg: OrgRole }[];
}

export interface SignedIn {
  user: UserView;
  csrfToken: string;
}

export type UserProfile = UserView & { orgs: (OrgView & { roleInOrg: OrgRole })[] };
export type OrgProfile = OrgView & { members: OrgMemberView[] };

const seg = encodeURIComponent;

/** Every accounts call the shell makes, one line each. */
export const accountsApi = {
  whoAmI: () => api<WhoAmI>('GET', '/api/whoami-v2'),
  signUp: (name: string, password: string) => api<SignedIn>('POST', '/api/signup', { name, password }),
  logIn: (name: string, password: string) => api<SignedIn>('POST', '/api/login', { name, password }),
  logOut: () => api<void>('POST', '/api/logout'),
  user: (name: string) => api<UserProfile>('GET', `/api/users/${seg(name)}`),
  org: (name: string) => api<OrgProfile>('GET', `/api/organizations/${seg(name)}`),
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
