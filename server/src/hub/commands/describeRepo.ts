import type { RepoInfoView } from '@atrium/protocol';
import type { Services } from '../../services.js';
import { parseCardData } from '../cardData.js';
import type { RepoRecord } from '../RepoStore.js';
import { fullId, repoInfoView } from '../views.js';

const MAX_CARD_BYTES = 1_000_000;

/** The card's front matter at a commit (README.md), if any. */
export async function cardDataAt(
  services: Services,
  commit: string,
): Promise<Record<string, unknown> | undefined> {
  const readme = await services.hub.repos.entry(commit, 'README.md');
  if (!readme || readme.size > MAX_CARD_BYTES) return undefined;
  return parseCardData((await services.hub.blobs.readBuffer(readme.sha256)).toString('utf8'));
}

/** Where a repository was duplicated from, if that repository still exists and `canSee` it. */
async function lineage(services: Services, repo: RepoRecord, canSee: (r: RepoRecord) => Promise<boolean>) {
  if (!repo.forkedFromRepo || !repo.forkedFromCommit) return null;
  const source = await services.hub.repos.findById(repo.forkedFromRepo);
  if (!source || !(await canSee(source))) return null;
  return { type: source.type, id: fullId(source), commit: repo.forkedFromCommit };
}

/** `GET /api/{type}s/{id}[/revision/{rev}]`: info with files, card metadata and lineage. */
export async function describeRepo(
  services: Services,
  repo: RepoRecord,
  commit: string,
  canSee: (r: RepoRecord) => Promise<boolean>,
): Promise<RepoInfoView> {
  const [siblings, cardData, duplicatedFrom, forks] = await Promise.all([
    services.hub.repos.entries(commit, ''),
    cardDataAt(services, commit),
    lineage(services, repo, canSee),
    services.hub.repos.forksOf(repo.id),
  ]);
  const visibleForks = [];
  for (const f of forks) if (await canSee(f)) visibleForks.push(f);
  return repoInfoView(repo, commit, { siblings, cardData, duplicatedFrom, forks: visibleForks.length });
}
