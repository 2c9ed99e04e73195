import { repoPermission } from '../hub/access.js';
import type { Services } from '../services.js';
import type { DocumentAccess } from './DocumentAccess.js';

/** Access to a live document is access to its repository: readers view, writers edit. */
export function hubDocumentAccess(services: Services): DocumentAccess {
  return {
    permission: (identity, doc) => repoPermission(services, identity, doc.kind, doc.repoId),
  };
}
