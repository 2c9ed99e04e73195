import { collabDocumentName } from '@atrium/protocol';
import { permissionOnStored, repoPermission, splitRepoId } from '../hub/access.js';
import { fullId } from '../hub/views.js';
import type { Services } from '../services.js';
import type { DocumentAccess } from './DocumentAccess.js';
import type { DocumentRef } from './documentName.js';

/** The live document of a repository, named as the repository is stored (one name, one room). */
export async function canonicalDocument(services: Services, doc: DocumentRef): Promise<DocumentRef | null> {
  const parts = splitRepoId(doc.repoId);
  const repo = parts && (await services.hub.repos.find(doc.kind, parts.owner, parts.name));
  if (!repo) return null;
  const repoId = fullId(repo);
  return { name: collabDocumentName(doc.kind, repoId), kind: doc.kind, repoId, repoKey: repo.id };
}

/** Access to a live document is access to its repository: readers view, writers edit. */
export function hubDocumentAccess(services: Services): DocumentAccess {
  return {
    canonical: (doc) => canonicalDocument(services, doc),
    permission: (identity, doc) =>
      doc.repoKey
        ? permissionOnStored(services, identity, doc.repoKey)
        : repoPermission(services, identity, doc.kind, doc.repoId),
    changesHeard: () => services.liveAccess.changesHeard,
    watch: (connection, since) =>
      services.liveAccess.claim(
        {
          identity: connection.identity,
          repoId: connection.doc.repoKey,
          need: connection.canWrite ? 'write' : 'read',
          lost: (code, reason) => connection.close(code, reason),
          demoted: () => connection.demote(),
        },
        since,
      ),
  };
}
