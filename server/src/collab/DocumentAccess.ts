import type { Identity } from '../auth/Identity.js';
import type { DocumentRef } from './documentName.js';

/** What an identity may do with a document, as the repository it belongs to decides. */
export type DocumentPermission = 'none' | 'read' | 'write' | 'admin';

/** Decides access to live documents; the hub's repository permissions in production. */
export interface DocumentAccess {
  permission(identity: Identity, doc: DocumentRef): Promise<DocumentPermission>;
}
