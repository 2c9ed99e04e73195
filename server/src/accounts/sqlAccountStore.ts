import { sql } from 'kysely';
import { sameName } from '../db/dialect.js';
import type { Database } from '../db/openDatabase.js';
import { prepared } from '../db/prepared.js';
import type { Tables } from '../db/tables.js';
import type { AccountRecord, AccountStore, MembershipRecord, TokenRecord } from './AccountStore.js';

type AccountRow = Tables['accounts'];
type TokenRow = Omit<Tables['api_tokens'], 'hash'>;

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

const ACCOUNT_FIELDS = [
  'id',
  'kind',
  'name',
  'fullname',
  'email',
  'password_hash',
  'is_admin',
  'created_at',
] as const;
const ACCOUNT_COLS = ACCOUNT_FIELDS.map((f) => `a.${f}` as const);
/** An account's columns under a prefix, for a row that carries two accounts (`o_name`, `u_name`). */
const prefixedAccountCols = <P extends 'o' | 'u'>(p: P) =>
  ACCOUNT_FIELDS.map((f) => `${p}.${f} as ${p}_${f}` as const);
const prefixedAccount = (row: Record<string, unknown>, p: 'o' | 'u'): AccountRow =>
  Object.fromEntries(ACCOUNT_FIELDS.map((f) => [f, row[`${p}_${f}`]])) as unknown as AccountRow;
const TOKEN_COLS = [
  'id',
  'user_id',
  'display_name',
  'role',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

/** AccountStore on either engine; a taken name (any case) is refused by the unique index, so racing sign-ups make one account. */
export function sqlAccountStore(database: Database): AccountStore {
  const { kysely: db, engine } = database;
  const byIdQuery = prepared(database, 1, (id: string) =>
    db.selectFrom('accounts as a').select(ACCOUNT_COLS).where('a.id', '=', id),
  );
  const byId = async (id: string) => (await byIdQuery(id)).rows[0];
  const byName = prepared(database, 1, (name: string) =>
    db
      .selectFrom('accounts as a')
      .select(ACCOUNT_COLS)
      .where(sameName(engine, 'a.name', name)),
  );
  const tokenByHash = prepared(database, 1, (hash: string) =>
    db
      .selectFrom('api_tokens as t')
      .innerJoin('accounts as a', 'a.id', 't.user_id')
      .select([
        ...ACCOUNT_COLS,
        't.id as token_id',
        't.display_name',
        't.role',
        't.created_at as token_created_at',
        't.last_used_at',
        't.revoked_at',
      ])
      .where('t.hash', '=', hash)
      .where('t.revoked_at', 'is', null),
  );
  const touch = prepared(database, 2, (tokenId: string, at: string) =>
    db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId),
  );
  const sessionUser = prepared(database, 2, (idHash: string, now: number) =>
    db
      .selectFrom('sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.user_id')
      .select(ACCOUNT_COLS)
      .where('s.id_hash', '=', idHash)
      .where('s.expires_at', '>', now),
  );
  const roleIn = prepared(database, 2, (orgId: string, userId: string) =>
    db.selectFrom('org_members').select('role').where('org_id', '=', orgId).where('user_id', '=', userId),
  );
  // Members in the order they joined: SQLite's rowid, PostgreSQL's `added` sequence.
  const joined = sql.raw(engine === 'sqlite' ? 'm.rowid' : 'm.added');
  // One query per list, both accounts joined in (not two lookups per membership).
  const membershipsBy = (column: 'm.user_id' | 'm.org_id') =>
    prepared(database, 1, (id: string) =>
      db
        .selectFrom('org_members as m')
        .innerJoin('accounts as o', 'o.id', 'm.org_id')
        .innerJoin('accounts as u', 'u.id', 'm.user_id')
        .select(['m.role', ...prefixedAccountCols('o'), ...prefixedAccountCols('u')])
        .where(column, '=', id)
        .orderBy(joined),
    );
  const membershipRows = { user_id: membershipsBy('m.user_id'), org_id: membershipsBy('m.org_id') };
  const memberships = async (column: 'user_id' | 'org_id', id: string): Promise<MembershipRecord[]> => {
    const { rows } = await membershipRows[column](id);
    return rows.map((r) => ({
      role: r.role,
      org: toAccount(prefixedAccount(r, 'o')),
      user: toAccount(prefixedAccount(r, 'u')),
    }));
  };

  return {
    findByName: async (name) => {
      const row = (await byName(name)).rows[0];
      return row && toAccount(row);
    },
    findById: async (id) => {
      const row = await byId(id);
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
        // Administrators are made only by claimFirstAdmin (or an administrator), never at creation.
        is_admin: 0,
        created_at: new Date().toISOString(),
      };
      const inserted = await db
        .insertInto('accounts')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return inserted.numInsertedOrUpdatedRows === 1n ? toAccount(row) : undefined;
    },
    // One transaction: a claim that crashed between its two writes would leave the slot taken and
    // no administrator.
    claimFirstAdmin: async (userId) =>
      db.transaction().execute(async (q) => {
        const claimed = await q
          .insertInto('first_admin')
          .values({ slot: 1, user_id: userId })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (claimed.numInsertedOrUpdatedRows !== 1n) return false;
        await q.updateTable('accounts').set({ is_admin: 1 }).where('id', '=', userId).execute();
        return true;
      }),
    membershipsOfUser: (userId) => memberships('user_id', userId),
    membersOfOrg: (orgId) => memberships('org_id', orgId),
    roleInOrg: async (orgId, userId) => (await roleIn(orgId, userId)).rows[0]?.role,
    setMember: async (orgId, userId, role) => {
      await db
        .insertInto('org_members')
        .values({ org_id: orgId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ role }))
        .execute();
    },
    removeMember: async (orgId, userId) =>
      (
        await db
          .deleteFrom('org_members')
          .where('org_id', '=', orgId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      ).numDeletedRows === 1n,
    createSession: async (idHash, userId, expiresAt) => {
      await db
        .insertInto('sessions')
        .values({
          id_hash: idHash,
          user_id: userId,
          created_at: new Date().toISOString(),
          expires_at: expiresAt,
        })
        .execute();
    },
    userOfSession: async (idHash, now) => {
      const row = (await sessionUser(idHash, now)).rows[0];
      return row && toAccount(row);
    },
    deleteSession: async (idHash) => {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    createToken: async (t) => {
      await db
        .insertInto('api_tokens')
        .values({
          id: t.id,
          user_id: t.userId,
          display_name: t.displayName,
          role: t.role,
          hash: t.hash,
          created_at: t.createdAt,
        })
        .execute();
    },
    findToken: async (hash) => {
      // One round trip: whoami and every token-authenticated request pass here.
      const row = (await tokenByHash(hash)).rows[0];
      if (!row) return undefined;
      return {
        token: toToken({
          id: row.token_id,
          user_id: row.id,
          display_name: row.display_name,
          role: row.role,
          created_at: row.token_created_at,
          last_used_at: row.last_used_at,
          revoked_at: row.revoked_at,
        }),
        user: toAccount(row),
      };
    },
    listTokens: async (userId) =>
      (
        await db
          .selectFrom('api_tokens')
          .select(TOKEN_COLS)
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .orderBy('created_at')
          .execute()
      ).map(toToken),
    revokeToken: async (userId, tokenId, at) =>
      (
        await db
          .updateTable('api_tokens')
          .set({ revoked_at: at })
          .where('id', '=', tokenId)
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
      ).numUpdatedRows === 1n,
    touchToken: async (tokenId, at) => {
      await touch(tokenId, at);
    },
  };
}
