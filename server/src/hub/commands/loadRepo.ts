import type { RepoPermission, RepoType } from '@atrium/protocol';
import type { Identity } from '../../auth/Identity.js';
import { forbidden, unauthorized } from '../../errors.js';
import type { Services } from '../../services.js';
import { atLeast, permissionOn } from '../access.js';
import { repoNotFound, revisionNotFound } from '../hubErrors.js';
import type { RepoRecord } from '../RepoStore.js';

export interface LoadedRepo {
  repo: RepoRecord;
  permission: RepoPermission;
}

/**
 * The repository if `identity` holds at least `need` on it. Unreadable private repositories are a
 * 404 exactly like missing ones; readable ones without the right are 401 (anonymous) or 403.
 */
export async function loadRepo(
  services: Services,
  identity: Identity,
  type: RepoType,
  owner: string,
  name: string,
  need: RepoPermission = 'read',
): Promise<LoadedRepo> {
  const repo = await services.hub.repos.find(type, owner, name);
  const permission = repo ? await permissionOn(services, identity, repo) : 'none';
  if (!repo || permission === 'none') throw repoNotFound(`${owner}/${name}`);
  if (!atLeast(permission, need)) {
    if (!identity.user) throw unauthorized(`You must be signed in to change ${owner}/${name}`);
    if (identity.via === 'token' && identity.tokenRole !== 'write') {
      throw forbidden('This token has the read role and cannot make changes', 'token_read_only');
    }
    throw forbidden(`You need the ${need} role on ${owner}/${name} to do this`, 'repo_forbidden');
  }
  return { repo, permission };
}

/** The commit a revision names in this repository, or a 404 with `X-Error-Code: RevisionNotFound`. */
export async function resolveRevision(services: Services, repo: RepoRecord, rev: string): Promise<string> {
  const oid = await services.hub.repos.resolveRevision(repo.id, rev);
  if (!oid) throw revisionNotFound(rev);
  return oid;
}
