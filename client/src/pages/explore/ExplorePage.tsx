import type { RepoType } from '@atrium/protocol';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { REPO_KINDS, reposApi } from '../../api';
import { useSession } from '../../auth';
import { EmptyState, RepoItem } from '../../components';
import { useDebounced } from '../../hooks/useDebounced';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { SpaceCard } from '../space/SpaceCard';
import { TASKS } from './tasks';
import '../space/space.css';
import './explore.css';

/** What each kind's page offers to make. */
const CREATE: Record<RepoType, { to: string; label: string }> = {
  space: { to: '/spaces/new', label: '+ New Space' },
  model: { to: '/new', label: '+ New model' },
  notebook: { to: '/notebooks/new', label: '+ New notebook' },
};
const SORTS = [
  { sort: 'trendingScore', label: 'Trending' },
  { sort: 'likes', label: 'Most liked' },
  { sort: 'lastModified', label: 'Recently updated' },
  { sort: 'createdAt', label: 'Newest' },
];

/**
 * `/spaces`, `/models`, `/notebooks` (and `/explore`, Spaces first): one kind by trending, most liked
 * or recent, searched as you type across ids, titles, descriptions and tags, filtered by task. The
 * choice lives in the URL, so it can be shared.
 */
export function ExplorePage({ defaultType = 'space' }: { defaultType?: RepoType }) {
  const [params, setParams] = useSearchParams();
  const { user } = useSession().session;
  const kind =
    REPO_KINDS.find((k) => k.type === params.get('type')) ?? REPO_KINDS.find((k) => k.type === defaultType);
  const { type, label } = kind ?? REPO_KINDS[0]!;
  const create = CREATE[type];
  const sort = SORTS.find((s) => s.sort === params.get('sort'))?.sort ?? 'trendingScore';
  const task = TASKS.find((t) => t.tag === params.get('task'))?.tag ?? '';
  const search = params.get('search') ?? '';
  const [draft, setDraft] = useState(search);
  const typed = useDebounced(draft.trim(), 200);
  usePageTitle(`Explore ${label}`);
  const set = (patch: Record<string, string>, replace = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace });
  };
  // As the person types: the address follows (replacing, so Back leaves the page rather than each letter).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled draft moves the address.
  useEffect(() => {
    if (typed !== search) set({ search: typed }, true);
  }, [typed]);
  // The address changed from outside (Back, a link): show its search in the box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the address, not the draft.
  useEffect(() => {
    if (search !== typed) setDraft(search);
  }, [search]);
  const query: Record<string, string> = {
    sort,
    limit: '60',
    ...(search ? { search } : {}),
    ...(task ? { filter: task } : {}),
  };
  const { resource } = useResource(`explore:${type}?${new URLSearchParams(query)}`, () =>
    reposApi.list(type, query),
  );
  const carried = new URLSearchParams([...params].filter(([k]) => k !== 'type'));
  return (
    <div className="explore-page">
      <div className="explore-head">
        <h1>{label}</h1>
        {user && (
          <Link to={create.to} className="button button-primary">
            {create.label}
          </Link>
        )}
      </div>
      <nav className="explore-kinds" aria-label="Kind">
        {REPO_KINDS.map((k) => (
          <Link
            key={k.type}
            to={`${k.path}${carried.size ? `?${carried}` : ''}`}
            aria-current={k.type === type ? 'page' : undefined}
            className={k.type === type ? 'active' : ''}
          >
            {k.label}
          </Link>
        ))}
      </nav>
      <div className="explore-controls">
        <search>
          <input
            name="explore-search"
            type="search"
            aria-label={`Search ${label.toLowerCase()}`}
            placeholder={`Search ${label.toLowerCase()} by name, title, description or tag`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </search>
        <fieldset className="explore-sorts">
          <legend className="sr-only">Sort</legend>
          {SORTS.map((s) => (
            <button
              key={s.sort}
              type="button"
              aria-pressed={s.sort === sort}
              className={s.sort === sort ? 'active' : ''}
              onClick={() => set({ sort: s.sort })}
            >
              {s.label}
            </button>
          ))}
        </fieldset>
      </div>
      <fieldset className="explore-tasks">
        <legend className="sr-only">Task</legend>
        {TASKS.map((t) => (
          <button
            key={t.tag}
            type="button"
            aria-pressed={t.tag === task}
            className={t.tag === task ? 'active' : ''}
            onClick={() => set({ task: t.tag === task ? '' : t.tag })}
          >
            {t.label}
          </button>
        ))}
      </fieldset>
      {resource.state === 'loading' && <p className="muted">Loading…</p>}
      {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
      {resource.state === 'ready' &&
        (resource.data.length === 0 ? (
          <EmptyState
            icon={type}
            title={search || task ? `No ${label.toLowerCase()} match` : `No ${label.toLowerCase()} yet`}
          >
            {search || task
              ? 'Try other words or another task.'
              : type === 'space'
                ? 'Create one from a template.'
                : 'The first ones published will show here.'}
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
