import type { RepoInfoView, RepoType } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { reposApi } from '../../api/repos';
import { EmptyState, Section } from '../../components';
import { useResource } from '../../hooks/useResource';
import { RepoItem } from './RepoList';

const KINDS: { type: RepoType; title: string; path: string }[] = [
  { type: 'space', title: 'Spaces', path: '/spaces' },
  { type: 'model', title: 'Models', path: '/models' },
  { type: 'notebook', title: 'Notebooks', path: '/notebooks' },
];

/** Searches every kind at once: `limit` of each, most liked first. */
export async function searchAll(search: string, limit: number) {
  const query = { search, sort: 'likes', limit: String(limit) };
  const lists = await Promise.all(KINDS.map((k) => reposApi.list(k.type, query)));
  return KINDS.map((k, i) => ({ ...k, items: lists[i] ?? ([] as RepoInfoView[]) }));
}

/** Spaces, models and notebooks whose id, title, description or tags hold every word, by kind. */
export function SearchResults({ search }: { search: string }) {
  const { resource } = useResource(`search:${search}`, () => searchAll(search, 20));
  if (resource.state === 'loading') return <p className="muted">Searching…</p>;
  if (resource.state === 'failed') return <p className="muted">{resource.error}</p>;
  if (resource.data.every((k) => k.items.length === 0)) {
    return (
      <EmptyState icon="search" title={`Nothing matches “${search}”`}>
        Nothing has been published on this instance that matches your search.
      </EmptyState>
    );
  }
  return (
    <>
      {resource.data
        .filter((k) => k.items.length > 0)
        .map((k) => (
          <Section key={k.type} title={k.title} icon={k.type}>
            <ul className="repo-list">
              {k.items.map((r) => (
                <RepoItem key={r.id} repo={r} />
              ))}
            </ul>
            <Link className="small" to={`${k.path}?search=${encodeURIComponent(search)}`}>
              All {k.title.toLowerCase()} matching “{search}” →
            </Link>
          </Section>
        ))}
    </>
  );
}
