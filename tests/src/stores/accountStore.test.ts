import type { AccountStore, NewAccount } from '@atrium/server/accounts/AccountStore';
import { sqlAccountStore } from '@atrium/server/accounts/sqlAccountStore';
import { sqlMetaStore } from '@atrium/server/db/metaStore';
import { beforeEach, expect, it } from 'vitest';
import { describeOnEngines } from './engines.js';

const user = (name: string): NewAccount => ({
  kind: 'user',
  name,
  fullname: name,
  email: `${name}@example.test`,
  passwordHash: 'hash',
});

describeOnEngines('the account store', ({ db, second }) => {
  let store: AccountStore;
  beforeEach(() => {
    store = sqlAccountStore(db());
  });
  const userCount = async () =>
    (
      await db()
        .kysely.selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'user')
        .executeTakeFirstOrThrow()
    ).n;

  it('finds an account by its name in any case, and refuses the same name in another case', async () => {
    const alice = await store.create(user('Alice'));
    expect(alice).toMatchObject({ name: 'Alice', kind: 'user', isAdmin: false });
    expect((await store.findByName('aLICE'))?.id).toBe(alice!.id);
    expect(await store.create(user('ALICE'))).toBeUndefined();
    expect(await userCount()).toBe(1);
  });

  it('makes one account of two sign-ups racing for one name', async () => {
    const other = sqlAccountStore(await second());
    const made = await Promise.all([
      store.create(user('racer')),
      other.create(user('Racer')),
      store.create(user('RACER')),
      other.create(user('racer')),
    ]);
    expect(made.filter((a) => a !== undefined)).toHaveLength(1);
    expect(await userCount()).toBe(1);
  });

  it('makes one administrator of first sign-ups racing on two connections', async () => {
    const other = sqlAccountStore(await second());
    const racers = await Promise.all(
      ['first-a', 'first-b', 'first-c', 'first-d'].map((n) => store.create(user(n))),
    );
    const claims = await Promise.all(
      racers.map((a, i) => (i % 2 === 0 ? store : other).claimFirstAdmin(a!.id)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = racers[claims.indexOf(true)]!;
    expect((await store.findById(winner.id))?.isAdmin).toBe(true);
    const admins = await Promise.all(racers.map(async (a) => (await other.findById(a!.id))?.isAdmin));
    expect(admins.filter(Boolean)).toHaveLength(1);
    // A later user never becomes one.
    const later = await store.create(user('later'));
    expect(await other.claimFirstAdmin(later!.id)).toBe(false);
  });

  it('lists members in the order they joined and changes a role in place', async () => {
    const org = await store.create({ ...user('org'), kind: 'org', email: null, passwordHash: null });
    const [a, b, c] = await Promise.all(['m-a', 'm-b', 'm-c'].map((n) => store.create(user(n))));
    await store.setMember(org!.id, c!.id, 'read');
    await store.setMember(org!.id, a!.id, 'admin');
    await store.setMember(org!.id, b!.id, 'write');
    await store.setMember(org!.id, c!.id, 'write');
    expect((await store.membersOfOrg(org!.id)).map((m) => [m.user.name, m.role])).toEqual([
      ['m-c', 'write'],
      ['m-a', 'admin'],
      ['m-b', 'write'],
    ]);
    expect(await store.roleInOrg(org!.id, a!.id)).toBe('admin');
    expect((await store.membershipsOfUser(b!.id)).map((m) => m.org.name)).toEqual(['org']);
    expect(await store.removeMember(org!.id, b!.id)).toBe(true);
    expect(await store.removeMember(org!.id, b!.id)).toBe(false);
  });

  it('answers a session until it expires or is deleted', async () => {
    const u = await store.create(user('sessions'));
    const now = Date.now();
    // Milliseconds since 1970 do not fit 32 bits: the column must hold them.
    await store.createSession('h1', u!.id, now + 60_000);
    expect((await store.userOfSession('h1', now))?.name).toBe('sessions');
    expect(await store.userOfSession('h1', now + 120_000)).toBeUndefined();
    await store.deleteSession('h1');
    expect(await store.userOfSession('h1', now)).toBeUndefined();
  });

  it('finds a live token with its user, and never a revoked one', async () => {
    const u = await store.create(user('tokens'));
    const t = {
      id: 'tok1',
      userId: u!.id,
      displayName: 'ci',
      role: 'read' as const,
      createdAt: new Date().toISOString(),
    };
    await store.createToken({ ...t, hash: 'secret-hash' });
    expect(await store.findToken('secret-hash')).toMatchObject({
      token: { id: 'tok1', role: 'read', lastUsedAt: null, revokedAt: null },
      user: { name: 'tokens' },
    });
    await store.touchToken('tok1', '2026-11-30T00:00:00.000Z');
    expect((await store.listTokens(u!.id))[0]?.lastUsedAt).toBe('2026-11-30T00:00:00.000Z');
    expect(await store.revokeToken('someone-else', 'tok1', 'now')).toBe(false);
    expect(await store.revokeToken(u!.id, 'tok1', 'now')).toBe(true);
    expect(await store.findToken('secret-hash')).toBeUndefined();
    expect(await store.listTokens(u!.id)).toEqual([]);
  });
});

describeOnEngines('the meta store', ({ db, second }) => {
  it('keeps the last value set for a key, seen from another connection', async () => {
    const meta = sqlMetaStore(db());
    expect(await meta.get('instance')).toBeUndefined();
    await meta.set('instance', 'a');
    await meta.set('instance', 'b');
    expect(await sqlMetaStore(await second()).get('instance')).toBe('b');
  });
});
