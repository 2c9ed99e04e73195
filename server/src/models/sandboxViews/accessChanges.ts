import type { AccountStore } from '../../accounts/AccountStore.js';
import type { RepoStore } from '../../hub/RepoStore.js';

/**
 * A change that may take read access to a repository away: its visibility, its existence or name, its
 * collaborators, or an organization's members. Today the stores below report them; the access-event
 * service (server/src/auth, issue 12 part 3) can call the same listener when it lands.
 */
export type AccessChange =
  | { kind: 'repo'; repoId: string; what: 'visibility' | 'deleted' | 'moved' | 'collaborators' }
  | { kind: 'membership'; orgId: string; userId: string };

/** Hears access changes; resolves once it has acted on one (so callers can wait for it). */
export type AccessChangeListener = (change: AccessChange) => Promise<void> | void;

/** Waits for the listener after the store's own work; a failing listener never fails the change. */
const reporter = (listener: () => AccessChangeListener | undefined) => async (change: AccessChange) => {
  await Promise.resolve(listener()?.(change)).catch(() => {});
};

/** Wraps a RepoStore so every change of visibility, existence, name or collaborators is reported. */
export function reportRepoAccessChanges(
  store: RepoStore,
  listener: () => AccessChangeListener | undefined,
): RepoStore {
  const report = reporter(listener);
  return Object.assign(Object.create(store) as RepoStore, {
    setPrivate: async (id: string, value: boolean) => {
      await store.setPrivate(id, value);
      await report({ kind: 'repo', repoId: id, what: 'visibility' });
    },
    remove: async (id: string) => {
      await store.remove(id);
      await report({ kind: 'repo', repoId: id, what: 'deleted' });
    },
    move: async (id: string, ownerId: string, name: string) => {
      const moved = await store.move(id, ownerId, name);
      if (moved) await report({ kind: 'repo', repoId: id, what: 'moved' });
      return moved;
    },
    setCollaborator: async (...args: Parameters<RepoStore['setCollaborator']>) => {
      await store.setCollaborator(...args);
      await report({ kind: 'repo', repoId: args[0], what: 'collaborators' });
    },
    removeCollaborator: async (repoId: string, userId: string) => {
      const removed = await store.removeCollaborator(repoId, userId);
      if (removed) await report({ kind: 'repo', repoId, what: 'collaborators' });
      return removed;
    },
  } satisfies Partial<RepoStore>);
}

/** Wraps an AccountStore so every change of an organization's members is reported. */
export function reportMembershipChanges(
  store: AccountStore,
  listener: () => AccessChangeListener | undefined,
): AccountStore {
  const report = reporter(listener);
  return Object.assign(Object.create(store) as AccountStore, {
    setMember: async (...args: Parameters<AccountStore['setMember']>) => {
      await store.setMember(...args);
      await report({ kind: 'membership', orgId: args[0], userId: args[1] });
    },
    removeMember: async (orgId: string, userId: string) => {
      const removed = await store.removeMember(orgId, userId);
      if (removed) await report({ kind: 'membership', orgId, userId });
      return removed;
    },
  } satisfies Partial<AccountStore>);
}
