import { useParams } from 'react-router-dom';
import { reposApi } from '../../api/repos';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { NotFound } from '../NotFound';
import { RepoCard } from '../repo/RepoCard';
import { AppView } from './AppView';
import { FilesTab } from './FilesTab';
import { LogPanel } from './LogPanel';
import { SpaceHeader } from './SpaceHeader';
import { SpaceSettings } from './SpaceSettings';
import { useRuntime } from './useRuntime';
import '../repo/repo.css';
import './space.css';

/** The Space page's tabs. */
export type SpaceTab = 'app' | 'files' | 'logs' | 'card' | 'runtime';

/**
 * `/spaces/:owner/:name[/files|/logs|/card|/runtime]`: a Space with its running app, its live-edited
 * files, logs and settings, under a header whose stage follows the runtime for every viewer.
 */
export function SpacePage({ tab }: { tab: SpaceTab }) {
  const { owner, name } = useParams();
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
      {tab === 'runtime' && (
        <SpaceSettings repo={repo} runtime={runtime} onRuntime={(r) => (r ? setRuntime(r) : refresh())} />
      )}
    </div>
  );
}
