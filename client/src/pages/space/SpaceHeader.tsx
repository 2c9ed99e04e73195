import type { RepoInfoView, SpaceRuntimeView } from '@atrium/protocol';
import { useEffect, useRef } from 'react';
import { Link, NavLink, useLocation } from 'react-router-dom';
import { DuplicateButton, LikeButton } from '../../components';
import { ShareButton } from './ShareButton';
import { StageBadge } from './StageBadge';

import { spaceEmoji, spaceGradient, spaceTitle } from './spaceColors';
import { SPACE_TABS, type SpaceTab, spaceTabPath } from './spaceTabs';
import { useRuntime } from './useRuntime';

/** Title band of a Space: emoji and colours from its card, title, owner, sdk, stage, likes and actions. */
export function SpaceHeader({ repo, runtime }: { repo: RepoInfoView; runtime: SpaceRuntimeView | null }) {
  const base = `/spaces/${repo.id}`;
  const tab = (t: SpaceTab) => spaceTabPath(repo.id, t);
  const { pathname } = useLocation();
  const onHistory = pathname.startsWith(`${base}/commits/`);
  // On a narrow screen the row scrolls: the tab of this page is brought into its view.
  const tabs = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page (pathname) moves the active tab.
  useEffect(() => {
    const nav = tabs.current;
    const active = nav?.querySelector<HTMLElement>('a.active');
    if (!nav || !active) return;
    const left = active.offsetLeft - nav.offsetLeft;
    if (left < nav.scrollLeft || left + active.offsetWidth > nav.scrollLeft + nav.clientWidth)
      nav.scrollLeft = left - (nav.clientWidth - active.offsetWidth) / 2;
  }, [pathname]);
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
      <nav className="repo-tabs space-tabs" aria-label="Space" ref={tabs}>
        {(Object.keys(SPACE_TABS) as SpaceTab[]).map((key) => {
          const { label, only } = SPACE_TABS[key] as { label: string; only?: 'write' | 'admin' };
          if (only === 'write' && !canWrite) return null;
          if (only === 'admin' && repo.permission !== 'admin') return null;
          return (
            <NavLink
              key={key}
              to={tab(key)}
              end={key === 'app'}
              // History stays lit on any revision's history (`commits/<rev>`).
              className={key === 'history' ? () => (onHistory ? 'active' : '') : undefined}
            >
              {key === 'duplicates' && repo.forks ? `${label} (${repo.forks})` : label}
            </NavLink>
          );
        })}
      </nav>
    </header>
  );
}

/** The header with its own look at the runtime, for Space pages outside `SpacePage` (files at a revision). */
export function SpaceBanner({ repo }: { repo: RepoInfoView }) {
  return <SpaceHeader repo={repo} runtime={useRuntime(repo.id).runtime} />;
}
