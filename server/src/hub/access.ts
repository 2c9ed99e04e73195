import type { RepoPermission, RepoType } from '@atrium/protocol';
import type { Identity } from '../auth/Identity.js';
import type { Services } from '../services.js';
import type { RepoRecord } from './RepoStore.js';

const RANK: Record<RepoPermission, number> = { none: 0, read: 1, write: 2, admin: 3 };

/** Whether a permission is at least another. */
export const atLeast = (have: RepoPermission, need: RepoPermission): boolean => RANK[have] >= RANK[need];

/** Splits `owner/name`; undefined when it is not of that form. */
export function splitRepoId(id: string): { owner: string; name: string } | undefined {
  const parts = id.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { owner: parts[0], name: parts[1] };
}

/** The identity's rights on a repository record (see repoPermission). */
export async function permissionOn(
  services: Services,
  identity: Identity,
  repo: RepoRecord,
): Promise<RepoPermission> {
  const user = identity.user;
  let perm: RepoPermission = repo.private ? 'none' : 'read';
  if (user) {
    if (user.isAdmin || repo.ownerId === user.id) perm = 'admin';
    else {
      const orgRole =
        repo.ownerKind === 'org' ? await services.accounts.roleInOrg(repo.ownerId, user.id) : undefined;
      const collabRole = await services.hub.repos.collaboratorRole(repo.id, user.id);
      for (const role of [orgRole, collabRole]) if (role && RANK[role] > RANK[perm]) perm = role;
    }
  }
  // A read token may look but never change anything, whatever its user may do.
  if (identity.via === 'token' && identity.tokenRole !== 'write' && RANK[perm] > RANK.read) perm = 'read';
  return perm;
}

/**
 * What `identity` may do with repository `type`/`id` (`owner/name`): 'none' when it is missing or
 * private and unreadable to them (callers answer 404, never 403, so its existence does not leak).
 */
export async function repoPermission(
  services: Services,
  identity: Identity,
  type: RepoType,
  id: string,
): Promise<RepoPermission> {
  const parts = splitRepoId(id);
  if (!parts) return 'none';
  const repo = await services.hub.repos.find(type, parts.owner, parts.name);
  return repo ? permissionOn(services, identity, repo) : 'none';
}

/** The identity's rights on a repository named by its stored id (survives renames); 'none' when it is gone. */
export async function permissionOnStored(
  services: Services,
  identity: Identity,
  repoId: string,
): Promise<RepoPermission> {
  const repo = await services.hub.repos.findById(repoId);
  return repo ? permissionOn(services, identity, repo) : 'none';
}
