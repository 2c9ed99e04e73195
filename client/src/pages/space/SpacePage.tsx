import { useParams } from 'react-router-dom';
import { reposApi } from '../../api';
import { CommitList, ForkList } from '../../components';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { NotFound } from '../NotFound';
import { RepoCard } from '../repo/RepoCard';
import { RepoSettings } from '../repo/RepoSettings';
import { AppView } from './AppView';
import { FilesTab } from './FilesTab';
import { LogPanel } from './LogPanel';
import { SpaceHeader } from './SpaceHeader';
import { SpaceSettings } from './SpaceSettings';
import type { SpaceTab } from './spaceTabs';
import { UseViaApi } from './UseViaApi';
import { useRuntime } from './useRuntime';
import '../repo/repo.css';
import './space.css';

export type { SpaceTab } from './spaceTabs';

/**
 * `/spaces/:owner/:name[/<tab>]`: a Space with its running app, live-edited files, logs, history,
 * API, duplicates and settings, every tab under the same banner, whose stage follows the runtime.
 */
export function SpacePage({ tab }: { tab: SpaceTab }) {
  const { owner, name, rev } = useParams();
  const id = `${owner}/${name}`;
  usePageTitle(id);
  const { resource, reload } = useResource(`space:${id}`, () => reposApi.info('space', id));
  const { runtime, error, setRuntime, refresh } = useRuntime(id);
  if (resource.state === 'loading') return <p className="muted page-loading">Loading…</p>;
  if (resource.state === 'failed')
    return (
      <NotFound
        message={
          resource.status === 404 ? `No Space called “${id}” exists, or it is private.` : resource.error
        }
      />
    );
  const repo = resource.data;
  return (
    <div className="repo-page space-page">
      <SpaceHeader repo={repo} runtime={runtime} />
      {tab === 'app' && <AppView repo={repo} runtime={runtime} error={error} />}
      {tab === 'files' && (
        <FilesTab
          repo={repo}
          onSaved={() => {
            reload();
            refresh();
          }}
        />
      )}
      {tab === 'logs' && <LogPanel spaceId={id} revision={runtime?.sha ?? ''} />}
      {tab === 'card' && <RepoCard repo={repo} />}
      {tab === 'history' && <CommitList repo={repo} rev={rev ?? 'main'} />}
      {tab === 'api' && <UseViaApi spaceId={id} />}
      {tab === 'duplicates' && <ForkList repo={repo} />}
      {tab === 'settings' && (
        <SpaceSettings repo={repo} runtime={runtime} onRuntime={(r) => (r ? setRuntime(r) : refresh())} />
      )}
      {tab === 'repository' && <RepoSettings repo={repo} onChange={reload} />}
    </div>
  );
}
