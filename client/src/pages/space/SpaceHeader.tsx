import type { RepoInfoView } from '@atrium/protocol';
import { Link, NavLink } from 'react-router-dom';
import { DuplicateButton } from '../repo/DuplicateButton';
import { LikeButton } from '../repo/LikeButton';
import { ShareButton } from './ShareButton';
import { StageBadge } from './StageBadge';
import type { SpaceRuntime } from './spaceApi';
import { spaceEmoji, spaceGradient, spaceTitle } from './spaceColors';

/** Title band of a Space: emoji and colours from its card, title, owner, sdk, stage, likes and actions. */
export function SpaceHeader({ repo, runtime }: { repo: RepoInfoView; runtime: SpaceRuntime | null }) {
  const base = `/spaces/${repo.id}`;
  const [owner, name] = repo.id.split('/');
  const canWrite = repo.permission === 'write' || repo.permission === 'admin';
  return (
    <header className="space-header">
      <div className="space-banner" style={{ background: spaceGradient(repo.cardData) }}>
        <span className="space-emoji" aria-hidden="true">
          {spaceEmoji(repo.cardData)}
        </span>
        <div className="space-heading">
          <h1 className="space-title">{spaceTitle(repo.cardData, repo.id)}</h1>
          <p className="space-id">
            <Link to={`/${owner}`}>{owner}</Link> / <Link to={base}>{name}</Link>
          </p>
        </div>
        <div className="space-badges">
          {repo.private && <span className="badge">Private</span>}
          {repo.sdk && <span className="badge sdk-badge">{repo.sdk}</span>}
          <StageBadge runtime={runtime} />
          <LikeButton repo={repo} />
          <DuplicateButton repo={repo} />
          <ShareButton spaceId={repo.id} />
        </div>
      </div>
      {repo.duplicatedFrom && (
        <p className="muted small repo-lineage">
          Duplicated from <Link to={`/spaces/${repo.duplicatedFrom.id}`}>{repo.duplicatedFrom.id}</Link> at{' '}
          <code>{repo.duplicatedFrom.commit.slice(0, 7)}</code>
        </p>
      )}
      <nav className="repo-tabs">
        <NavLink to={base} end>
          App
        </NavLink>
        <NavLink to={`${base}/files`}>Files</NavLink>
        <NavLink to={`${base}/logs`}>Logs</NavLink>
        <NavLink to={`${base}/card`}>Card</NavLink>
        <NavLink to={`${base}/commits/main`}>History</NavLink>
        <NavLink to={`${base}/api`}>Use via API</NavLink>
        <NavLink to={`${base}/forks`}>Duplicates {repo.forks ? `(${repo.forks})` : ''}</NavLink>
        {canWrite && <NavLink to={`${base}/runtime`}>Settings</NavLink>}
        {repo.permission === 'admin' && <NavLink to={`${base}/settings`}>Repository</NavLink>}
      </nav>
    </header>
  );
}
