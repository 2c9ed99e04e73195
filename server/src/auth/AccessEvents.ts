import type { RepoType } from '@atrium/protocol';
import type { Logger } from '../logger.js';

/**
 * A change that may take access away from someone who holds a connection open. Plain JSON, so a
 * multi-process deployment can carry it between processes (Redis pub/sub, PostgreSQL NOTIFY).
 * Repositories are named by their stored id (`RepoRecord.id`), which survives renames.
 */
export type AccessChange =
  /** A collaborator was added, removed or given another role (`userId`), or visibility changed (no user). */
  | { kind: 'repo'; repoId: string; repoType: RepoType; userId?: string }
  /** The repository is gone; `name` was its `owner/name`. */
  | { kind: 'repo-deleted'; repoId: string; repoType: RepoType; name: string }
  /** Renamed or transferred from `from` to `to` (both `owner/name`, as stored). */
  | { kind: 'repo-moved'; repoId: string; repoType: RepoType; from: string; to: string }
  /** A member of an organization was removed or given another role. */
  | { kind: 'org-member'; orgId: string; userId: string }
  /** An API token was revoked. */
  | { kind: 'token-revoked'; tokenId: string; userId: string }
  /** A browser session ended (log out). `sessionId` is `Identity.sessionId`. */
  | { kind: 'session-ended'; sessionId: string; userId: string };

export type AccessListener = (change: AccessChange) => void | Promise<void>;

/**
 * Where the commands that change access announce it, and where whatever holds access open hears it.
 * The in-process bus below serves one process; a multi-process one publishes to every process and
 * calls its local listeners when a change arrives, with the same interface.
 */
export interface AccessEvents {
  /** Resolves once this process's listeners have applied the change (others apply it as it reaches them). */
  publish(change: AccessChange): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: AccessListener): () => void;
}

/** The bus of a single process: listeners run at once, in subscription order; one failing does not stop the rest. */
export function inProcessAccessEvents(log: Logger): AccessEvents {
  const listeners = new Set<AccessListener>();
  return {
    async publish(change) {
      await Promise.all(
        [...listeners].map(async (listener) => {
          try {
            await listener(change);
          } catch (err) {
            log.error({ err, change: change.kind }, 'an access listener failed');
          }
        }),
      );
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
