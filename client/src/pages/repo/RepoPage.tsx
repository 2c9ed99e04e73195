import type { RepoType } from '@atrium/protocol';
import { useParams } from 'react-router-dom';
import { reposApi } from '../../api';
import { CommitList, ForkList } from '../../components';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { NotFound } from '../NotFound';
import { SpaceBanner } from '../space/SpaceHeader';
import { FileBrowser } from './FileBrowser';
import { FileView } from './FileView';
import { RepoCard } from './RepoCard';
import { RepoHeader } from './RepoHeader';
import { RepoSettings } from './RepoSettings';
import './repo.css';

export type RepoView = 'card' | 'tree' | 'blob' | 'commits' | 'forks' | 'settings';

/** A repository's pages: its card, files, one file, history or duplicates, under one header. */
export function RepoPage({ type, view }: { type: RepoType; view: RepoView }) {
  const params = useParams();
  const id = `${params.owner}/${params.name}`;
  const rev = params.rev ?? 'main';
  const path = (params['*'] ?? '').replace(/\/$/, '');
  usePageTitle(id);
  const { resource, reload } = useResource(`${type}:${id}`, () => reposApi.info(type, id));
  if (resource.state === 'loading') return <p className="muted page-loading">Loading…</p>;
  if (resource.state === 'failed') {
    return (
      <NotFound
        message={
          resource.status === 404 ? `No ${type} called “${id}” exists, or it is private.` : resource.error
        }
      />
    );
  }
  const repo = resource.data;
  return (
    <div className="repo-page">
      {/* A Space's files at a revision keep its banner and tabs. */}
      {type === 'space' ? <SpaceBanner repo={repo} /> : <RepoHeader repo={repo} />}
      {view === 'card' && <RepoCard repo={repo} />}
      {view === 'tree' && <FileBrowser repo={repo} rev={rev} path={path} onChange={reload} />}
      {view === 'blob' && <FileView repo={repo} rev={rev} path={path} />}
      {view === 'commits' && <CommitList repo={repo} rev={rev} />}
      {view === 'forks' && <ForkList repo={repo} />}
      {view === 'settings' && <RepoSettings repo={repo} onChange={reload} />}
    </div>
  );
}
