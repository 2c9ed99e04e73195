import type { OrgRole, TokenRole } from '@atrium/protocol';
import type { SqliteDatabase } from '../db/openDatabase.js';
import type { AccountRecord, AccountStore, MembershipRecord, TokenRecord } from './AccountStore.js';

interface AccountRow {
  id: string;
  kind: 'user' | 'org';
  name: string;
  fullname: string;
  email: string | null;
  password_hash: string | null;
  is_admin: number;
  created_at: string;
}

interface TokenRow {
  id: string;
  user_id: string;
  display_name: string;
  role: TokenRole;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  fullname: r.fullname,
  email: r.email,
  passwordHash: r.password_hash,
  isAdmin: r.is_admin === 1,
  createdAt: r.created_at,
});

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  displayName: r.display_name,
  role: r.role,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const ACCOUNT_COLS = 'a.id, a.kind, a.name, a.fullname, a.email, a.password_hash, a.is_admin, a.created_at';

export function sqliteAccountStore(db: SqliteDatabase): AccountStore {
  const byName = db.prepare<[string], AccountRow>(
    `SELECT ${ACCOUNT_COLS} FROM accounts a WHERE a.name = ? COLLATE NOCASE`,
  );
  const byId = db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLS} FROM accounts a WHERE a.id = ?`);
  const insert = db.prepare(
    `INSERT INTO accounts (id, kind, name, fullname, email, password_hash, is_admin, created_at)
     VALUES (@id, @kind, @name, @fullname, @email, @password_hash, @is_admin, @created_at)
     ON CONFLICT DO NOTHING`,
  );
  const countUsers = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM accounts WHERE kind = 'user'");
  const membershipRows = (where: string) =>
    db.prepare<[string], { role: OrgRole; org_id: string; user_id: string }>(
      `SELECT role, org_id, user_id FROM org_members WHERE ${where} = ? ORDER BY rowid`,
    );
  const ofUser = membershipRows('user_id');
  const ofOrg = membershipRows('org_id');
  const roleIn = db.prepare<[string, string], { role: OrgRole }>(
    'SELECT role FROM org_members WHERE org_id = ? AND user_id = ?',
  );
  const setMember = db.prepare(
    'INSERT INTO org_members (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT(org_id, user_id) DO UPDATE SET role = excluded.role',
  );
  const removeMember = db.prepare('DELETE FROM org_members WHERE org_id = ? AND user_id = ?');
  const insertSession = db.prepare(
    'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const sessionUser = db.prepare<[string, number], AccountRow>(
    `SELECT ${ACCOUNT_COLS} FROM sessions s JOIN accounts a ON a.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`,
  );
  const deleteSession = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const insertToken = db.prepare(
    'INSERT INTO api_tokens (id, user_id, display_name, role, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const tokenByHash = db.prepare<[string], TokenRow>(
    `SELECT t.id, t.user_id, t.display_name, t.role, t.created_at, t.last_used_at, t.revoked_at
     FROM api_tokens t WHERE t.hash = ? AND t.revoked_at IS NULL`,
  );
  const listTokens = db.prepare<[string], TokenRow>(
    `SELECT id, user_id, display_name, role, created_at, last_used_at, revoked_at
     FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at`,
  );
  const revoke = db.prepare(
    'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
  );
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');

  const account = (id: string): AccountRecord => {
    const row = byId.get(id);
    if (!row) throw new Error(`account ${id} vanished`);
    return toAccount(row);
  };
  const memberships = (rows: { role: OrgRole; org_id: string; user_id: string }[]): MembershipRecord[] =>
    rows.map((r) => ({ role: r.role, org: account(r.org_id), user: account(r.user_id) }));

  return {
    findByName: async (name) => {
      const row = byName.get(name);
      return row && toAccount(row);
    },
    findById: async (id) => {
      const row = byId.get(id);
      return row && toAccount(row);
    },
    create: async (a) => {
      const row: AccountRow = {
        id: crypto.randomUUID().replaceAll('-', '').slice(0, 24),
        kind: a.kind,
        name: a.name,
        fullname: a.fullname,
        email: a.email,
        password_hash: a.passwordHash,
        is_admin: a.isAdmin ? 1 : 0,
        created_at: new Date().toISOString(),
      };
      return insert.run(row).changes === 1 ? toAccount(row) : undefined;
    },
    countUsers: async () => countUsers.get()?.n ?? 0,
    membershipsOfUser: async (userId) => memberships(ofUser.all(userId)),
    membersOfOrg: async (orgId) => memberships(ofOrg.all(orgId)),
    roleInOrg: async (orgId, userId) => roleIn.get(orgId, userId)?.role,
    setMember: async (orgId, userId, role) => {
      setMember.run(orgId, userId, role);
    },
    removeMember: async (orgId, userId) => removeMember.run(orgId, userId).changes === 1,
    createSession: async (idHash, userId, expiresAt) => {
      insertSession.run(idHash, userId, new Date().toISOString(), expiresAt);
    },
    userOfSession: async (idHash, now) => {
      const row = sessionUser.get(idHash, now);
      return row && toAccount(row);
    },
    deleteSession: async (idHash) => {
      deleteSession.run(idHash);
    },
    createToken: async (t) => {
      insertToken.run(t.id, t.userId, t.displayName, t.role, t.hash, t.createdAt);
    },
    findToken: async (hash) => {
      const row = tokenByHash.get(hash);
      if (!row) return undefined;
      const user = byId.get(row.user_id);
      return user && { token: toToken(row), user: toAccount(user) };
    },
    listTokens: async (userId) => listTokens.all(userId).map(toToken),
    revokeToken: async (userId, tokenId, at) => revoke.run(at, tokenId, userId).changes === 1,
    touchToken: async (tokenId, at) => {
      touch.run(at, tokenId);
    },
  };
}
