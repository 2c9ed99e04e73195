import type { RepoInfoView, SpaceRuntimeView } from '@atrium/protocol';
import { spaceAppPath } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { isRunning } from '../../api';
import { DemoApp } from './DemoApp';

/** Stages whose story is in the logs: the App tab links there. */
const LOG_STAGES = new Set(['BUILDING', 'BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR']);

/** What the App tab shows: the running demo, a static site in a sandboxed frame, or why neither. */
export function AppView({
  repo,
  runtime,
  error,
}: {
  repo: RepoInfoView;
  runtime: SpaceRuntimeView | null;
  error?: string | null;
}) {
  if (!runtime) return <p className="muted">{error ?? 'Asking the Space how it is…'}</p>;
  const stage = runtime.stage;
  if (isRunning(stage)) {
    const revision = runtime.sha ?? repo.sha ?? 'main';
    if (repo.sdk === 'static')
      return (
        <iframe
          className="static-app"
          title={repo.id}
          src={`${spaceAppPath(repo.id)}/`}
          sandbox="allow-scripts allow-forms allow-popups allow-downloads"
        />
      );
    return <DemoApp spaceId={repo.id} revision={revision} />;
  }
  const why: Record<string, string> = {
    BUILDING: 'The app is starting…',
    NO_APP_FILE: 'This Space has no app file yet. Add one in the Files tab.',
    CONFIG_ERROR: 'The Space card has a configuration error.',
    BUILD_ERROR: 'The app failed to build.',
    RUNTIME_ERROR: 'The app stopped with an error.',
    PAUSED: 'The owner paused this Space.',
    SLEEPING: 'The Space is asleep; waking it up…',
    STOPPED: 'The app is stopped.',
  };
  // Where a failing or starting app says what it is doing: the build and run logs.
  const logs = LOG_STAGES.has(stage);
  return (
    <div className={`app-stage app-stage-${stage.toLowerCase()}`}>
      <p>{why[stage] ?? stage}</p>
      {runtime.errorMessage && <pre className="app-error">{runtime.errorMessage}</pre>}
      {logs && (
        <p>
          <Link className="button button-secondary button-small app-logs-link" to={`/spaces/${repo.id}/logs`}>
            {stage === 'BUILDING' ? 'Follow the build in the logs' : 'See the logs'}
          </Link>
        </p>
      )}
    </div>
  );
}
