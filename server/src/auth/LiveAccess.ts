import { CloseCode, movedReason, type RepoPermission } from '@atrium/protocol';
import type { Logger } from '../logger.js';
import type { AccessChange, AccessEvents } from './AccessEvents.js';
import type { Identity } from './Identity.js';

/** What a long-lived connection holds: who opened it, on what, to do what. */
export interface AccessClaim {
  identity: Identity;
  /** The repository it reads or writes (stored id, survives renames); none when it holds only a credential (a user's own kernel). */
  repoId?: string;
  /** What it does there now. */
  need: 'read' | 'write';
  /** Access fell below `need`, the repository went away, or the credential ended: close with this code and reason. */
  lost(code: CloseCode, reason: string): void;
  /** For writers that can go on reading: called instead of `lost` when only write was lost; the claim then needs read. */
  demoted?(): void;
}

/** The identity's rights on a repository named by its stored id, now ('none' when it is gone). */
export type PermissionOf = (identity: Identity, repoId: string) => Promise<RepoPermission>;

const WRITES: RepoPermission[] = ['write', 'admin'];

/** Changes kept to replay to claims whose permission query they overtook (a query takes milliseconds). */
const REMEMBERED_CHANGES = 1024;

/**
 * Every open connection that holds access (live-document sockets, kernel channels and execute
 * streams, log streams, app sessions) registers a claim here; on each access change this process
 * hears, the claims it concerns are re-checked against the stores and closed (or demoted) at once.
 */
export class LiveAccess {
  private readonly claims = new Set<AccessClaim>();
  /** Access changes heard so far; each bumps it as it arrives, before anything awaits. */
  private heard = 0;
  /** The latest changes with their number, for `claim(…, since)`. */
  private readonly recent: { seq: number; change: AccessChange }[] = [];

  constructor(
    events: AccessEvents,
    private readonly permissionOf: PermissionOf,
    private readonly log: Logger,
  ) {
    events.subscribe((change) => this.apply(change));
  }

  /**
   * The number of access changes heard so far. Read it before the permission query that lets a
   * connection in, and pass it to `claim`: a change published while the query ran is then not missed.
   */
  get changesHeard(): number {
    return this.heard;
  }

  /**
   * Registers a connection; call the returned function when it closes. `since` (`changesHeard` read
   * before the connection's permission was checked): changes heard after it are applied to this claim now.
   */
  claim(claim: AccessClaim, since?: number): () => void {
    this.claims.add(claim);
    if (since !== undefined && since < this.heard) void this.catchUp(claim, since);
    return () => {
      this.claims.delete(claim);
    };
  }

  /** Claims held now (health, tests). */
  get size(): number {
    return this.claims.size;
  }

  private apply(change: AccessChange): Promise<void> {
    this.heard++;
    this.recent.push({ seq: this.heard, change });
    if (this.recent.length > REMEMBERED_CHANGES) this.recent.shift();
    // Linear in open connections: access changes are rare next to keystrokes, and each check is one lookup.
    return this.applyTo(change, [...this.claims]);
  }

  /** Applies the changes a claim's permission query may not have seen (heard after `since`). */
  private async catchUp(claim: AccessClaim, since: number): Promise<void> {
    // After `claim` returns, so the caller holds its release function when `lost` is called.
    await Promise.resolve();
    const missed = this.recent.filter((r) => r.seq > since);
    if (missed.length < this.heard - since) {
      // More changes than are remembered: unsure is not allowed, the client reconnects and is checked anew.
      return this.end(claim, CloseCode.AccessRevoked, 'access changed while the connection was opening');
    }
    for (const { change } of missed) {
      if (!this.claims.has(claim)) return;
      await this.applyTo(change, [claim]);
    }
  }

  private async applyTo(change: AccessChange, claims: AccessClaim[]): Promise<void> {
    const affected = claims.filter((c) => concerns(change, c));
    switch (change.kind) {
      case 'session-ended':
        for (const c of affected) this.end(c, CloseCode.SessionEnded, 'you signed out');
        return;
      case 'token-revoked':
        for (const c of affected) this.end(c, CloseCode.AccessRevoked, 'the access token was revoked');
        return;
      case 'repo-deleted':
        for (const c of affected) this.end(c, CloseCode.DocumentDeleted, `${change.name} was deleted`);
        return;
      case 'repo-moved':
        for (const c of affected)
          this.end(c, CloseCode.DocumentMoved, movedReason(`${change.repoType}s/${change.to}`));
        return;
      case 'org-member':
        await Promise.all(
          affected.map((c) => this.recheck(c, 'your membership of its organization changed')),
        );
        return;
      case 'repo': {
        const why = change.userId ? 'your role on it changed' : 'it was made private';
        await Promise.all(affected.map((c) => this.recheck(c, why)));
        return;
      }
    }
  }

  private async recheck(claim: AccessClaim, why: string): Promise<void> {
    if (!claim.repoId) return;
    let permission: RepoPermission;
    try {
      permission = await this.permissionOf(claim.identity, claim.repoId);
    } catch (err) {
      // Unsure is not allowed: a connection whose access cannot be confirmed is closed.
      this.log.error({ err }, 'could not re-check access; closing the connection');
      permission = 'none';
    }
    if (!this.claims.has(claim)) return;
    if (permission === 'none') return this.end(claim, CloseCode.AccessRevoked, why);
    if (claim.need === 'write' && !WRITES.includes(permission)) {
      if (!claim.demoted) return this.end(claim, CloseCode.AccessRevoked, `${why}: you may only read it now`);
      claim.need = 'read';
      claim.demoted();
    }
  }

  private end(claim: AccessClaim, code: CloseCode, reason: string): void {
    if (!this.claims.delete(claim)) return;
    try {
      claim.lost(code, reason);
    } catch (err) {
      this.log.warn({ err }, 'closing a connection that lost access failed');
    }
  }
}

/** Whether a change can affect a claim (the re-check then decides). */
function concerns(change: AccessChange, claim: AccessClaim): boolean {
  const { identity } = claim;
  switch (change.kind) {
    case 'session-ended':
      return identity.sessionId === change.sessionId;
    case 'token-revoked':
      return identity.tokenId === change.tokenId;
    case 'org-member':
      return claim.repoId !== undefined && identity.user?.id === change.userId;
    case 'repo':
      return claim.repoId === change.repoId && (!change.userId || identity.user?.id === change.userId);
    case 'repo-deleted':
    case 'repo-moved':
      return claim.repoId === change.repoId;
  }
}
