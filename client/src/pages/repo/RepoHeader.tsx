import type { RepoInfoView } from '@atrium/protocol';
import { Link, NavLink } from 'react-router-dom';
import { repoPrefix } from '../../api';
import { DuplicateButton, Icon, LikeButton } from '../../components';

/** Title row of a model or notebook repository page (a Space has its banner, pages/space): kind, owner/name, badges, likes, lineage and tabs. */
export function RepoHeader({ repo }: { repo: RepoInfoView }) {
  const base = `${repoPrefix(repo.type)}/${repo.id}`;
  const [owner, name] = repo.id.split('/');
  return (
    <header className="repo-header">
      <div className="repo-title">
        <Icon name={repo.type} size={24} />
        <h1 className="repo-name">
          <Link to={`/${owner}`}>{owner}</Link>
          <span className="muted"> / </span>
          <Link to={base}>{name}</Link>
        </h1>
        {repo.private && <span className="badge">Private</span>}
        {repo.sdk && <span className="badge">{repo.sdk}</span>}
        <LikeButton repo={repo} />
        <DuplicateButton repo={repo} />
      </div>
      {repo.duplicatedFrom && (
        <p className="muted small repo-lineage">
          Duplicated from{' '}
          <Link to={`${repoPrefix(repo.duplicatedFrom.type)}/${repo.duplicatedFrom.id}`}>
            {repo.duplicatedFrom.id}
          </Link>{' '}
          at <code>{repo.duplicatedFrom.commit.slice(0, 7)}</code>
        </p>
      )}
      <nav className="repo-tabs">
        <NavLink to={base} end>
          {repo.type === 'model' ? 'Model card' : 'Card'}
        </NavLink>
        <NavLink to={`${base}/tree/main`}>Files</NavLink>
        <NavLink to={`${base}/commits/main`}>History</NavLink>
        <NavLink to={`${base}/forks`}>Duplicates {repo.forks ? `(${repo.forks})` : ''}</NavLink>
        {repo.permission === 'admin' && <NavLink to={`${base}/settings`}>Settings</NavLink>}
      </nav>
    </header>
  );
}
