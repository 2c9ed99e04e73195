import type { OrgRole, TokenRole } from '@atrium/protocol';

/** A user or an organization as stored. */
export interface AccountRecord {
  id: string;
  kind: 'user' | 'org';
  name: string;
  fullname: string;
  email: string | null;
  passwordHash: string | null;
  isAdmin: boolean;
  createdAt: string;
}

export interface MembershipRecord {
  org: AccountRecord;
  user: AccountRecord;
  role: OrgRole;
}

export interface TokenRecord {
  id: string;
  userId: string;
  displayName: string;
  role: TokenRole;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewAccount {
  kind: 'user' | 'org';
  name: string;
  fullname: string;
  email: string | null;
  passwordHash: string | null;
}

/**
 * Users, organizations, memberships, sessions and API tokens. Asynchronous so a networked database
 * can stand behind it without changing any caller.
 */
export interface AccountStore {
  findByName(name: string): Promise<AccountRecord | undefined>;
  findById(id: string): Promise<AccountRecord | undefined>;
  /** Creates the account; returns undefined when the name (any case) is taken. */
  create(account: NewAccount): Promise<AccountRecord | undefined>;
  /**
   * Makes `userId` the instance's administrator if no user has claimed that yet; true for the one
   * winner however many sign-ups race (first sign-up becomes admin).
   */
  claimFirstAdmin(userId: string): Promise<boolean>;

  membershipsOfUser(userId: string): Promise<MembershipRecord[]>;
  membersOfOrg(orgId: string): Promise<MembershipRecord[]>;
  roleInOrg(orgId: string, userId: string): Promise<OrgRole | undefined>;
  setMember(orgId: string, userId: string, role: OrgRole): Promise<void>;
  removeMember(orgId: string, userId: string): Promise<boolean>;

  createSession(idHash: string, userId: string, expiresAt: number): Promise<void>;
  /** The session's user, when the session exists and has not expired. */
  userOfSession(idHash: string, now: number): Promise<AccountRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;

  createToken(token: Omit<TokenRecord, 'lastUsedAt' | 'revokedAt'> & { hash: string }): Promise<void>;
  /** The live (unrevoked) token with this hash and its user. */
  findToken(hash: string): Promise<{ token: TokenRecord; user: AccountRecord } | undefined>;
  listTokens(userId: string): Promise<TokenRecord[]>;
  revokeToken(userId: string, tokenId: string, at: string): Promise<boolean>;
  touchToken(tokenId: string, at: string): Promise<void>;
}
