import type { RepoInfoView, RepoSort, RepoType } from '@atrium/protocol';
import type { Identity } from '../../auth/Identity.js';
import type { Services } from '../../services.js';
import { repoInfoView } from '../views.js';
import { cardDataAt } from './describeRepo.js';

export interface ListReposInput {
  type: RepoType;
  search?: string;
  author?: string;
  sort: RepoSort;
  limit: number;
  offset: number;
  /** Whether to include each repository's files (`expand=siblings` or `full=true`). */
  siblings: boolean;
}

/** One page of repositories the identity may see, plus whether another page follows. */
export async function listRepos(
  services: Services,
  identity: Identity,
  input: ListReposInput,
): Promise<{ items: RepoInfoView[]; more: boolean }> {
  const rows = await services.hub.repos.list({
    type: input.type,
    search: input.search,
    author: input.author,
    sort: input.sort,
    limit: input.limit + 1,
    offset: input.offset,
    viewerId: identity.user?.id ?? null,
    viewerIsAdmin: identity.user?.isAdmin ?? false,
  });
  const page = rows.slice(0, input.limit);
  const items = await Promise.all(
    page.map(async (repo) => {
      const cardData = repo.head ? await cardDataAt(services, repo.head) : undefined;
      const siblings =
        input.siblings && repo.head ? await services.hub.repos.entries(repo.head, '') : undefined;
      return repoInfoView(repo, repo.head, { cardData, siblings });
    }),
  );
  return { items, more: rows.length > input.limit };
}
