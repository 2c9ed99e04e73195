import type { RepoStore } from '../../hub/RepoStore.js';

/** What the Space runtime hears about: a new head on main, or a new (or duplicated) repository. */
export interface SpaceCommitListener {
  onNewCommit(repoId: string): void | Promise<void>;
  onCreated(repoId: string, forkedFromRepoId: string | null): void | Promise<void>;
  /** Deleted: its app stops. */
  onRemoved(repoId: string): void | Promise<void>;
  /** Renamed or transferred: its app moves to the new URL. */
  onMoved(repoId: string): void | Promise<void>;
}

/**
 * Wraps a RepoStore so every commit on `main` (editor Save, Hub API, web upload), every created
 * or duplicated repository, and every deletion and move is reported, whichever route made it. Reads pass through untouched.
 */
export function watchSpaceCommits(
  store: RepoStore,
  listener: () => SpaceCommitListener | undefined,
): RepoStore {
  const report = (fn: (l: SpaceCommitListener) => void | Promise<void>) => {
    const l = listener();
    if (!l) return;
    // After the caller's own work: the runtime reads the new head asynchronously.
    setImmediate(() => void Promise.resolve(fn(l)).catch(() => {}));
  };
  return Object.assign(Object.create(store) as RepoStore, {
    commit: async (commit: Parameters<RepoStore['commit']>[0]) => {
      const outcome = await store.commit(commit);
      if (outcome.ok && commit.branch === 'main') report((l) => l.onNewCommit(commit.repoId));
      return outcome;
    },
    create: async (repo: Parameters<RepoStore['create']>[0]) => {
      const created = await store.create(repo);
      if (created) report((l) => l.onCreated(created.id, repo.forkedFrom?.repoId ?? null));
      return created;
    },
    // Deleting and moving wait for the app to stop, so no request reaches it under the old URL.
    remove: async (id: string) => {
      await store.remove(id);
      await Promise.resolve(listener()?.onRemoved(id)).catch(() => {});
    },
    move: async (id: string, ownerId: string, name: string) => {
      const moved = await store.move(id, ownerId, name);
      if (moved) await Promise.resolve(listener()?.onMoved(id)).catch(() => {});
      return moved;
    },
  } satisfies Partial<RepoStore>);
}
