import { Link } from 'react-router-dom';
import { reposApi } from '../../api';
import { EmptyState, RepoItem, Section } from '../../components';
import { useResource } from '../../hooks/useResource';

/** Spaces, models and notebooks whose id, title, description or tags hold every word, by kind. */
export function SearchResults({ search }: { search: string }) {
  const { resource } = useResource(`search:${search}`, () => reposApi.search(search, 20));
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
          <Section key={k.type} title={k.label} icon={k.type}>
            <ul className="repo-list">
              {k.items.map((r) => (
                <RepoItem key={r.id} repo={r} />
              ))}
            </ul>
            <Link className="small" to={`${k.path}?search=${encodeURIComponent(search)}`}>
              All {k.label.toLowerCase()} matching “{search}” →
            </Link>
          </Section>
        ))}
    </>
  );
}
