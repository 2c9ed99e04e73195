import type { RepoInfoView } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { repoPrefix, reposApi } from '../api';
import { useResource } from '../hooks/useResource';
import { EmptyState } from './EmptyState';
import { RelativeTime } from './RelativeTime';
import './repoWidgets.css';

/** Repositories duplicated from this one (those the viewer may see). */
export function ForkList({ repo }: { repo: RepoInfoView }) {
  const { resource } = useResource(`${repo.id}:forks`, () => reposApi.forks(repo.type, repo.id));
  if (resource.state === 'loading') return <p className="muted">Loading…</p>;
  if (resource.state === 'failed') return <p className="muted">{resource.error}</p>;
  if (resource.data.length === 0)
    return <EmptyState icon={repo.type} title="Nobody has duplicated this yet" />;
  return (
    <ul className="card plain-list fork-list">
      {resource.data.map((f) => (
        <li key={f.id}>
          <Link to={`${repoPrefix(f.type)}/${f.id}`}>{f.id}</Link>
          <span className="muted small">
            {' '}
            · updated <RelativeTime iso={f.lastModified} />
          </span>
        </li>
      ))}
    </ul>
  );
}
