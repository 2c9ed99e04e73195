import type { RepoInfoView } from '@atrium/protocol';
import { reposApi } from '../../api/repos';
import { EmptyState } from '../../components';
import { useResource } from '../../hooks/useResource';
import { RepoItem } from './RepoList';

/** Models, Spaces and notebooks whose `owner/name` contains the search, most liked first. */
export function SearchResults({ search }: { search: string }) {
  const { resource } = useResource(`search:${search}`, async () => {
    const query = { search, sort: 'likes', limit: '20' };
    const lists = await Promise.all(
      (['space', 'model', 'notebook'] as const).map((t) => reposApi.list(t, query)),
    );
    return lists.flat() as RepoInfoView[];
  });
  if (resource.state === 'loading') return <p className="muted">Searching…</p>;
  if (resource.state === 'failed') return <p className="muted">{resource.error}</p>;
  if (resource.data.length === 0) {
    return (
      <EmptyState icon="search" title="Nothing matches yet">
        Nothing has been published on this instance that matches your search.
      </EmptyState>
    );
  }
  return (
    <ul className="repo-list">
      {resource.data.map((r) => (
        <RepoItem key={`${r.type}:${r.id}`} repo={r} />
      ))}
    </ul>
  );
}
