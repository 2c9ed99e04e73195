import type { CloseCode } from '@atrium/protocol';
import type { Identity } from '../auth/Identity.js';
import type { DocumentRef } from './documentName.js';

/** What an identity may do with a document, as the repository it belongs to decides. */
export type DocumentPermission = 'none' | 'read' | 'write' | 'admin';

/** A connected socket whose access is kept under watch for as long as it is open. */
export interface WatchedConnection {
  identity: Identity;
  doc: DocumentRef;
  canWrite: boolean;
  /** Access is gone (or the credential ended, or the repository was deleted or moved). */
  close(code: CloseCode, reason: string): void;
  /** The editor may still read: it becomes a viewer in place. */
  demote(): void;
}

/** Decides access to live documents; the hub's repository permissions in production. */
export interface DocumentAccess {
  /**
   * The document under its repository's name as stored, with the repository's stored id: case
   * variants of a name resolve to one canonical name, so to one room. Null when no repository has it.
   */
  canonical(doc: DocumentRef): Promise<DocumentRef | null>;
  permission(identity: Identity, doc: DocumentRef): Promise<DocumentPermission>;
  /** Access changes heard so far: read before `canonical`/`permission`, passed to `watch` (auth/LiveAccess). */
  changesHeard(): number;
  /**
   * Watches a connection's access until the returned function is called (auth/LiveAccess); changes
   * heard after `since` (they may have overtaken the permission query) are applied to it at once.
   */
  watch(connection: WatchedConnection, since: number): () => void;
}
