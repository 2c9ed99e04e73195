import { nameProblem } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { badRequest, conflict } from '../../errors.js';
import { checkStorageNotFull } from '../../quota/storageQuota.js';
import type { Services } from '../../services.js';
import { splitRepoId } from '../access.js';
import type { RepoRecord } from '../RepoStore.js';
import { ownerForNewRepo } from './createRepo.js';

/**
 * Duplicates (forks) a repository the actor can read into `owner/name`: the new repository's
 * branches point at the same commits, so no file list or byte is copied and the cost is constant.
 */
export async function duplicateRepo(
  services: Services,
  actor: AccountRecord,
  source: RepoRecord,
  target: string,
  options: { private?: boolean } = {},
): Promise<RepoRecord> {
  const dest = splitRepoId(target);
  if (!dest) throw badRequest(`Invalid repository "${target}": expected owner/name`, 'invalid_name');
  const problem = nameProblem(dest.name);
  if (problem) throw badRequest(`Repository name ${problem}`, 'invalid_name');
  const owner = await ownerForNewRepo(services, actor, dest.owner);
  const refs = await services.hub.repos.refs(source.id);
  const head = refs.find((r) => r.name === 'main')?.commit;
  if (!head) throw conflict('The source repository has no main branch', 'no_main');
  // Constant-cost: not the source's files, only whether the new owner is full already.
  await checkStorageNotFull(services, { ownerId: owner.id, ownerName: owner.name });
  const repo = await services.hub.repos.create({
    type: source.type,
    ownerId: owner.id,
    name: dest.name,
    private: options.private ?? source.private,
    sdk: source.sdk,
    createdAt: new Date().toISOString(),
    initialCommit: {
      authorId: actor.id,
      authorName: actor.name,
      title: '',
      message: '',
      createdAt: '',
      changes: { put: [], deleteFiles: [], deleteFolders: [] },
    },
    forkedFrom: { repoId: source.id, commit: head, refs },
  });
  if (!repo)
    throw conflict(`A ${source.type} named ${owner.name}/${dest.name} already exists`, 'repo_exists');
  return repo;
}
