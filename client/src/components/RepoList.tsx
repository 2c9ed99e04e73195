import type { RepoInfoView, RepoType } from '@atrium/protocol';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { repoPrefix, reposApi } from '../api';
import { useResource } from '../hooks/useResource';
import { Icon } from './Icon';
import { RelativeTime } from './RelativeTime';
import './repoWidgets.css';

/** One repository as a card in a list: kind, name, badges, likes and freshness. */
export function RepoItem({ repo }: { repo: RepoInfoView }) {
  return (
    <li>
      <Link className="card repo-item" to={`${repoPrefix(repo.type)}/${repo.id}`}>
        <span className="repo-item-title">
          <Icon name={repo.type} size={18} /> <strong>{repo.id}</strong>
          {repo.private && <span className="badge">Private</span>}
        </span>
        <span className="muted small">
          {repo.sdk ? `${repo.sdk} · ` : ''}
          {repo.pipeline_tag ? `${repo.pipeline_tag} · ` : ''}updated <RelativeTime iso={repo.lastModified} />{' '}
          · ♥ {repo.likes}
        </span>
      </Link>
    </li>
  );
}

/** Repositories from `GET /api/{type}s` with these query parameters, or `empty` when there are none. */
export function RepoList({
  type,
  query,
  empty,
}: {
  type: RepoType;
  query: Record<string, string>;
  empty: ReactNode;
}) {
  const key = `${type}?${new URLSearchParams(query)}`;
  const { resource } = useResource(key, () => reposApi.list(type, query));
  if (resource.state === 'loading') return <p className="muted">Loading…</p>;
  if (resource.state === 'failed') return <p className="muted">{resource.error}</p>;
  if (resource.data.length === 0) return <>{empty}</>;
  return (
    <ul className="repo-list">
      {resource.data.map((r) => (
        <RepoItem key={r.id} repo={r} />
      ))}
    </ul>
  );
}
