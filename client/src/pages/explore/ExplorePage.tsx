import type { RepoType } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { reposApi } from '../../api/repos';
import { useSession } from '../../auth';
import { EmptyState } from '../../components';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { RepoItem } from '../repo/RepoList';
import { SpaceCard } from '../space/SpaceCard';
import '../space/space.css';
import './explore.css';

const KINDS: { type: RepoType; label: string }[] = [
  { type: 'space', label: 'Spaces' },
  { type: 'model', label: 'Models' },
  { type: 'notebook', label: 'Notebooks' },
];
const SORTS = [
  { sort: 'trendingScore', label: 'Trending' },
  { sort: 'likes', label: 'Most liked' },
  { sort: 'lastModified', label: 'Recently updated' },
  { sort: 'createdAt', label: 'Newest' },
];

/**
 * `/explore` (and `/spaces`): Spaces, models and notebooks by trending, most liked or recent, with
 * search; Spaces as coloured cards. The choice lives in the URL, so it can be shared.
 */
export function ExplorePage({ defaultType = 'space' }: { defaultType?: RepoType }) {
  const [params, setParams] = useSearchParams();
  const { user } = useSession().session;
  const type = (KINDS.find((k) => k.type === params.get('type'))?.type ?? defaultType) as RepoType;
  const sort = SORTS.find((s) => s.sort === params.get('sort'))?.sort ?? 'trendingScore';
  const search = params.get('search') ?? '';
  const [draft, setDraft] = useState(search);
  usePageTitle(`Explore ${KINDS.find((k) => k.type === type)?.label}`);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
    setParams(next);
  };
  const query: Record<string, string> = { sort, limit: '60', ...(search ? { search } : {}) };
  const { resource } = useResource(`explore:${type}?${new URLSearchParams(query)}`, () =>
    reposApi.list(type, query),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ search: draft.trim() });
  };
  return (
    <div className="explore-page">
      <div className="explore-head">
        <h1>Explore</h1>
        {user && (
          <Link to="/spaces/new" className="button button-primary">
            + New Space
          </Link>
        )}
      </div>
      <nav className="explore-kinds" aria-label="Kind">
        {KINDS.map((k) => (
          <button
            key={k.type}
            type="button"
            aria-pressed={k.type === type}
            className={k.type === type ? 'active' : ''}
            onClick={() => set({ type: k.type })}
          >
            {k.label}
          </button>
        ))}
      </nav>
      <div className="explore-controls">
        <form onSubmit={submit} aria-label="Search">
          <input
            name="explore-search"
            type="search"
            placeholder={`Search ${type}s`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </form>
        <div className="explore-sorts" role="tablist" aria-label="Sort">
          {SORTS.map((s) => (
            <button
              key={s.sort}
              type="button"
              role="tab"
              aria-selected={s.sort === sort}
              className={s.sort === sort ? 'active' : ''}
              onClick={() => set({ sort: s.sort })}
            >
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {resource.state === 'loading' && <p className="muted">Loading…</p>}
      {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
      {resource.state === 'ready' &&
        (resource.data.length === 0 ? (
          <EmptyState icon={type} title={search ? `Nothing matches “${search}”` : `No ${type}s yet`}>
            {type === 'space' ? 'Create one from a template.' : 'The first ones published will show here.'}
          </EmptyState>
        ) : type === 'space' ? (
          <ul className="space-grid">
            {resource.data.map((r) => (
              <SpaceCard key={r.id} repo={r} />
            ))}
          </ul>
        ) : (
          <ul className="repo-list">
            {resource.data.map((r) => (
              <RepoItem key={r.id} repo={r} />
            ))}
          </ul>
        ))}
    </div>
  );
}
