import { CloseCode, type RepoPermission } from '@atrium/protocol';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../accounts/AccountStore.js';
import { inProcessAccessEvents } from './AccessEvents.js';
import type { Identity } from './Identity.js';
import { type AccessClaim, LiveAccess } from './LiveAccess.js';

const log = pino({ level: 'silent' });
const user = (id: string) => ({ id, name: id }) as AccountRecord;
const session = (userId: string, sessionId: string): Identity => ({
  user: user(userId),
  via: 'session',
  tokenRole: null,
  tokenId: null,
  tokenName: null,
  sessionId,
});

/** A fake permission table: what each user may do on each repository, changed by the test. */
function fakePermissions() {
  const table = new Map<string, RepoPermission>();
  return {
    set: (userId: string, repoId: string, p: RepoPermission) => table.set(`${userId}:${repoId}`, p),
    of: async (identity: Identity, repoId: string) => table.get(`${identity.user?.id}:${repoId}`) ?? 'none',
  };
}

function setUp() {
  const events = inProcessAccessEvents(log);
  const permissions = fakePermissions();
  const live = new LiveAccess(events, permissions.of, log);
  const closes: { who: string; code: number }[] = [];
  const demotions: string[] = [];
  const claim = (who: string, identity: Identity, extra: Partial<AccessClaim> = {}) =>
    live.claim({
      identity,
      need: 'read',
      lost: (code) => closes.push({ who, code }),
      ...extra,
    });
  return { events, permissions, live, closes, demotions, claim };
}

describe('LiveAccess', () => {
  it('ends only the claims of the session that signed out', async () => {
    const { events, closes, claim, live } = setUp();
    claim('phone', session('u1', 's1'));
    claim('desk', session('u1', 's2'));
    await events.publish({ kind: 'session-ended', sessionId: 's1', userId: 'u1' });
    expect(closes).toEqual([{ who: 'phone', code: CloseCode.SessionEnded }]);
    expect(live.size).toBe(1);
  });

  it('demotes a writer left with read, closes a reader left with nothing, and leaves others on the repository alone', async () => {
    const { events, permissions, closes, demotions, claim } = setUp();
    permissions.set('writer', 'r1', 'read');
    permissions.set('owner', 'r1', 'admin');
    claim('writer', session('writer', 'a'), {
      repoId: 'r1',
      need: 'write',
      demoted: () => demotions.push('writer'),
    });
    claim('reader', session('reader', 'b'), { repoId: 'r1' });
    claim('owner', session('owner', 'c'), { repoId: 'r1', need: 'write' });
    await events.publish({ kind: 'repo', repoId: 'r1', repoType: 'notebook' });
    expect(demotions).toEqual(['writer']);
    expect(closes).toEqual([{ who: 'reader', code: CloseCode.AccessRevoked }]);

    // Demoted once, the claim needs read from then on: the next change does not demote it again.
    await events.publish({ kind: 'repo', repoId: 'r1', repoType: 'notebook' });
    expect(demotions).toEqual(['writer']);
  });

  it('closes a claim whose access cannot be confirmed, and one released is never called', async () => {
    const events = inProcessAccessEvents(log);
    const closes: number[] = [];
    const live = new LiveAccess(
      events,
      async () => {
        throw new Error('database unavailable');
      },
      log,
    );
    live.claim({ identity: session('u', 's'), repoId: 'r', need: 'read', lost: (code) => closes.push(code) });
    const release = live.claim({
      identity: session('u', 's'),
      repoId: 'r',
      need: 'read',
      lost: () => closes.push(-1),
    });
    release();
    await events.publish({ kind: 'repo', repoId: 'r', repoType: 'space', userId: 'u' });
    expect(closes).toEqual([CloseCode.AccessRevoked]);
  });

  it('names the new document when the repository moves', async () => {
    const { events, claim } = setUp();
    const reasons: string[] = [];
    claim('editor', session('u', 's'), { repoId: 'r', lost: (_code, reason) => reasons.push(reason) });
    await events.publish({ kind: 'repo-moved', repoId: 'r', repoType: 'notebook', from: 'a/x', to: 'b/y' });
    expect(reasons).toEqual(['moved to notebooks/b/y']);
  });

  it('applies a change published while a claim’s permission was being checked, and only such changes', async () => {
    const { events, permissions, live, closes, claim } = setUp();
    permissions.set('u', 'r', 'write');
    const since = live.changesHeard;
    // The query answered 'write'; the collaborator is removed and announced before the claim registers.
    permissions.set('u', 'r', 'none');
    await events.publish({ kind: 'repo', repoId: 'r', repoType: 'notebook', userId: 'u' });
    live.claim(
      {
        identity: session('u', 'late'),
        repoId: 'r',
        need: 'write',
        lost: (code) => closes.push({ who: 'late', code }),
      },
      since,
    );
    // Checked after the change: nothing to replay.
    claim('fresh', session('v', 'fresh'), { repoId: 'r' });
    live.claim(
      {
        identity: session('w', 'current'),
        repoId: 'r',
        need: 'read',
        lost: (code) => closes.push({ who: 'current', code }),
      },
      live.changesHeard,
    );
    await until(() => closes.length > 0);
    expect(closes).toEqual([{ who: 'late', code: CloseCode.AccessRevoked }]);
  });

  it('closes a claim that missed more changes than are remembered (unsure is not allowed)', async () => {
    const { events, live, closes } = setUp();
    const since = live.changesHeard;
    for (let i = 0; i < 1100; i++)
      await events.publish({ kind: 'token-revoked', tokenId: `t${i}`, userId: 'someone' });
    live.claim(
      {
        identity: session('u', 's'),
        repoId: 'r',
        need: 'read',
        lost: (code) => closes.push({ who: 'u', code }),
      },
      since,
    );
    await until(() => closes.length > 0);
    expect(closes).toEqual([{ who: 'u', code: CloseCode.AccessRevoked }]);
  });
});

/** Polls a condition (the replay runs after `claim` returns). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}
