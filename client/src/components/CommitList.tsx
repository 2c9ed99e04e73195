import type { RepoInfoView } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { repoPrefix, reposApi } from '../api';
import { useResource } from '../hooks/useResource';
import { RelativeTime } from './RelativeTime';
import './repoWidgets.css';

/** The history of a branch, newest first; each commit links to the files as they were. */
export function CommitList({ repo, rev }: { repo: RepoInfoView; rev: string }) {
  const { resource } = useResource(`${repo.id}@${rev}:${repo.sha}:commits`, () =>
    reposApi.commits(repo.type, repo.id, rev),
  );
  const base = `${repoPrefix(repo.type)}/${repo.id}`;
  if (resource.state === 'loading') return <p className="muted">Loading history…</p>;
  if (resource.state === 'failed') return <p className="muted">{resource.error}</p>;
  return (
    <ol className="card commit-list">
      {resource.data.map((c) => (
        <li key={c.id}>
          <div>
            <strong>{c.title}</strong>
            {c.message && <p className="muted small">{c.message}</p>}
            <p className="muted small">
              <Link to={`/${c.authors[0]?.user ?? ''}`}>{c.authors[0]?.user}</Link> committed{' '}
              <RelativeTime iso={c.date} />
            </p>
          </div>
          <Link className="commit-id" to={`${base}/tree/${c.id}`}>
            <code>{c.id.slice(0, 7)}</code>
          </Link>
        </li>
      ))}
    </ol>
  );
}
