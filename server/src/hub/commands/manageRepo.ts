import { nameProblem, type RepoRole, type RepoType } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import type { Identity } from '../../auth/Identity.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { splitRepoId } from '../access.js';
import { repoNotFound } from '../hubErrors.js';
import type { RepoRecord } from '../RepoStore.js';
import { fullId } from '../views.js';
import { ownerForNewRepo } from './createRepo.js';
import { loadRepo } from './loadRepo.js';

/** Deletes a repository (admin role). Its blobs stay: forks and other repositories may share them. */
export async function deleteRepo(
  services: Services,
  identity: Identity,
  type: RepoType,
  id: string,
): Promise<void> {
  const parts = splitRepoId(id);
  if (!parts) throw repoNotFound(id);
  const { repo } = await loadRepo(services, identity, type, parts.owner, parts.name, 'admin');
  await services.hub.repos.remove(repo.id);
  await services.accessEvents.publish({
    kind: 'repo-deleted',
    repoId: repo.id,
    repoType: type,
    name: fullId(repo),
  });
}

/** Renames or transfers a repository (`POST /api/repos/move`): admin on it, write where it goes. */
export async function moveRepo(
  services: Services,
  identity: Identity,
  actor: AccountRecord,
  type: RepoType,
  from: string,
  to: string,
) {
  const src = splitRepoId(from);
  const dest = splitRepoId(to);
  if (!src) throw repoNotFound(from);
  if (!dest) throw badRequest(`Invalid toRepo "${to}": expected owner/name`, 'invalid_name');
  const problem = nameProblem(dest.name);
  if (problem) throw badRequest(`Repository name ${problem}`, 'invalid_name');
  const { repo } = await loadRepo(services, identity, type, src.owner, src.name, 'admin');
  const owner = await ownerForNewRepo(services, actor, dest.owner);
  if (!(await services.hub.repos.move(repo.id, owner.id, dest.name))) {
    throw conflict(`A ${type} named ${owner.name}/${dest.name} already exists`, 'repo_exists');
  }
  await services.accessEvents.publish({
    kind: 'repo-moved',
    repoId: repo.id,
    repoType: type,
    from: fullId(repo),
    to: `${owner.name}/${dest.name}`,
  });
}

/** Changes visibility (`PUT /api/{type}s/{id}/settings`). */
export async function updateRepoSettings(
  services: Services,
  repo: RepoRecord,
  settings: { private?: boolean },
) {
  if (settings.private === undefined || settings.private === repo.private) return;
  await services.hub.repos.setPrivate(repo.id, settings.private);
  await services.accessEvents.publish({ kind: 'repo', repoId: repo.id, repoType: repo.type });
}

/** Gives a user a role on a repository (admin role needed). */
export async function setCollaborator(
  services: Services,
  repo: RepoRecord,
  userName: string,
  role: RepoRole,
) {
  const user = await services.accounts.findByName(userName);
  if (user?.kind !== 'user') throw notFound(`User "${userName}" not found`, 'user_not_found');
  await services.hub.repos.setCollaborator(repo.id, user.id, role);
  await services.accessEvents.publish({
    kind: 'repo',
    repoId: repo.id,
    repoType: repo.type,
    userId: user.id,
  });
  return { user: user.name, role };
}

export async function removeCollaborator(services: Services, repo: RepoRecord, userName: string) {
  const user = await services.accounts.findByName(userName);
  if (!user || !(await services.hub.repos.removeCollaborator(repo.id, user.id))) {
    throw notFound(`"${userName}" is not a collaborator`, 'collaborator_not_found');
  }
  await services.accessEvents.publish({
    kind: 'repo',
    repoId: repo.id,
    repoType: repo.type,
    userId: user.id,
  });
}
