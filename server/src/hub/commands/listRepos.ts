import type { RepoInfoView, RepoSort, RepoType } from '@atrium/protocol';
import type { Identity } from '../../auth/Identity.js';
import type { Services } from '../../services.js';
import type { RepoQuery, RepoRecord } from '../RepoStore.js';
import { CardDataCache, repoMatches } from '../repoSearch.js';
import { repoInfoView } from '../views.js';
import { cardDataAt } from './describeRepo.js';

export interface ListReposInput {
  type: RepoType;
  search?: string;
  /** Tags and task every listed repository carries (`filter`, `pipeline_tag`). */
  filters?: string[];
  /** Model ids every listed Space or notebook declares in its card (`models=`). */
  models?: string[];
  author?: string;
  sort: RepoSort;
  limit: number;
  offset: number;
  /** Whether to include each repository's files (`expand=siblings` or `full=true`). */
  siblings: boolean;
}

/**
 * A search reads at most `scan` repositories, in the listing's order, a batch at a time, with at most
 * `cardReads` README reads at once (on S3 each is a GET): an anonymous search over a big instance
 * costs bounded time, and the card cache is larger than the scan.
 */
export const searchLimits = { scan: 5_000, batch: 500, cardReads: 16 } as const;

const cards = new CardDataCache();

/** One page of repositories the identity may see, plus whether another page follows. */
export async function listRepos(
  services: Services,
  identity: Identity,
  input: ListReposInput,
): Promise<{ items: RepoInfoView[]; more: boolean }> {
  const query: RepoQuery = {
    type: input.type,
    author: input.author,
    sort: input.sort,
    limit: input.limit + 1,
    offset: input.offset,
    viewerId: identity.user?.id ?? null,
    viewerIsAdmin: identity.user?.isAdmin ?? false,
  };
  const cardOf = (repo: RepoRecord) =>
    repo.head ? cards.get(repo.head, (commit) => cardDataAt(services, commit)) : Promise.resolve(undefined);
  const filters = input.filters ?? [];
  const models = input.models ?? [];
  const rows =
    input.search?.trim() || filters.length > 0 || models.length > 0
      ? await searchRepos(services, query, { search: input.search, filters, models }, cardOf)
      : await services.hub.repos.list(query);
  const page = rows.slice(0, input.limit);
  const items = await Promise.all(
    page.map(async (repo) => {
      const cardData = await cardOf(repo);
      const siblings =
        input.siblings && repo.head ? await services.hub.repos.entries(repo.head, '') : undefined;
      return repoInfoView(repo, repo.head, { cardData, siblings });
    }),
  );
  return { items, more: rows.length > input.limit };
}

/**
 * Search by words across ids, titles, descriptions and tags, which live in each head's README card
 * rather than in the store's columns: the listing is read in its order and matched here.
 */
async function searchRepos(
  services: Services,
  query: RepoQuery,
  match: { search?: string; filters: string[]; models: string[] },
  cardOf: (repo: RepoRecord) => Promise<Record<string, unknown> | undefined>,
): Promise<RepoRecord[]> {
  const wanted = query.offset + query.limit;
  const matched: RepoRecord[] = [];
  for (let offset = 0; matched.length < wanted && offset < searchLimits.scan; offset += searchLimits.batch) {
    const rows = await services.hub.repos.list({ ...query, offset, limit: searchLimits.batch });
    for (let i = 0; i < rows.length; i += searchLimits.cardReads) {
      const group = rows.slice(i, i + searchLimits.cardReads);
      const groupCards = await Promise.all(group.map(cardOf));
      matched.push(...group.filter((repo, j) => repoMatches(repo, groupCards[j], match)));
    }
    if (rows.length < searchLimits.batch) break;
  }
  return matched.slice(query.offset, wanted);
}
