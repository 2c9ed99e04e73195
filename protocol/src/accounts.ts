/** Roles a member has in an organization, and that an API token carries. */
export type OrgRole = 'admin' | 'write' | 'read';
export type TokenRole = 'read' | 'write';

/** Rules for user and organization names, as on the Hub. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,40}[A-Za-z0-9]$/;
export const NAME_MIN = 2;
export const NAME_MAX = 42;

/** Names that would collide with routes or mislead people. */
export const RESERVED_NAMES = new Set([
  'admin',
  'administrator',
  'api',
  'atrium',
  'assets',
  'auth',
  'collab',
  'datasets',
  'docs',
  'embed',
  'explore',
  'help',
  'join',
  'login',
  'logout',
  'me',
  'models',
  'new',
  'notebooks',
  'organizations',
  'orgs',
  'pricing',
  'raw',
  'resolve',
  'root',
  'settings',
  'signup',
  'spaces',
  'static',
  'support',
  'system',
  'user',
  'users',
  'www',
  'huggingface',
  'settings',
  'health',
  'null',
  'undefined',
]);

/** Why a name is refused, or null when it is acceptable. */
export function nameProblem(name: string): string | null {
  if (name.length < NAME_MIN || name.length > NAME_MAX)
    return `must be ${NAME_MIN} to ${NAME_MAX} characters`;
  if (!NAME_PATTERN.test(name)) {
    return "may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit";
  }
  if (name.includes('..') || name.includes('--')) return "may not contain '..' or '--'";
  if (RESERVED_NAMES.has(name.toLowerCase())) return 'is reserved';
  return null;
}

/** Public view of a user. */
export interface UserView {
  type: 'user';
  id: string;
  name: string;
  fullname: string;
  avatarUrl: string;
  createdAt: string;
  isAdmin?: boolean;
}

/** Public view of an organization. */
export interface OrgView {
  type: 'org';
  id: string;
  name: string;
  fullname: string;
  avatarUrl: string;
  createdAt: string;
}

export interface OrgMemberView {
  user: string;
  fullname: string;
  role: OrgRole;
}

/** An API token as listed in settings: the secret is shown once, at creation, never again. */
export interface TokenView {
  id: string;
  displayName: string;
  role: TokenRole;
  createdAt: string;
  lastUsedAt: string | null;
  /** Only in the answer to the creation request. */
  token?: string;
}

/** `GET /api/whoami-v2` in the Hub's shape: the fields Atrium's pages read (the server sends more). */
export interface WhoAmIView {
  type: 'user';
  id: string;
  name: string;
  fullname: string;
  avatarUrl: string;
  isAdmin: boolean;
  orgs: { name: string; fullname: string; avatarUrl: string; roleInOrg: OrgRole }[];
}

/** Answer of `POST /api/signup` and `POST /api/login`: the user and the CSRF token for changes. */
export interface SignedInView {
  user: UserView;
  csrfToken: string;
}

/** `GET /api/users/:name`: the user and the organizations they belong to, with their role. */
export type UserProfileView = UserView & { orgs: (OrgView & { roleInOrg: OrgRole })[] };
/** `GET /api/organizations/:name`: the organization and its members. */
export type OrgProfileView = OrgView & { members: OrgMemberView[] };
