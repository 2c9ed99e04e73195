import type { RepoInfoView } from '@atrium/protocol';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router-dom';
import { isRunning, reposApi } from '../../api';
import { RepoItem } from '../../components';
import { useResource } from '../../hooks/useResource';
import { StageBadge } from '../space/StageBadge';
import { useRuntime } from '../space/useRuntime';
import '../space/space.css';

// The demo form brings @gradio/client: loaded when a model page shows a widget, not with every page.
const DemoApp = lazy(async () => ({ default: (await import('../space/DemoApp')).DemoApp }));

/**
 * Beside a model's card: a widget to try the model, run by the most liked `atrium` Space that
 * declares it (the path every Space call takes: sandbox, Gradio API, streamed outputs, labels as
 * bars, result time), and the Spaces and notebooks using it.
 */
export function ModelUsage({ id }: { id: string }) {
  const { resource } = useResource(`used-by:${id}`, async () => {
    const query = { models: id, sort: 'likes', limit: '10' };
    const [spaces, notebooks] = await Promise.all([
      reposApi.list('space', query),
      reposApi.list('notebook', query),
    ]);
    return { spaces, notebooks };
  });
  if (resource.state !== 'ready') return null;
  const { spaces, notebooks } = resource.data;
  const runner = spaces.find((s) => s.sdk === 'atrium');
  return (
    <>
      <section className="model-widget" aria-label="Try this model">
        <h3>Try it</h3>
        {runner ? (
          <>
            <TryIt space={runner} />
            <p className="small muted">
              Runs in the Space <Link to={`/spaces/${runner.id}`}>{runner.id}</Link>
            </p>
          </>
        ) : (
          <p className="muted small">
            No Space runs this model yet. <Link to="/spaces/new">Make one from a template</Link> and name the
            model under <code>models:</code> in its card.
          </p>
        )}
      </section>
      <section className="model-used-by" aria-label="Spaces and notebooks using this model">
        <h3>Spaces and notebooks using this model</h3>
        {spaces.length + notebooks.length === 0 ? (
          <p className="muted small">None yet.</p>
        ) : (
          <ul className="repo-list">
            {[...spaces, ...notebooks].map((r: RepoInfoView) => (
              <RepoItem key={`${r.type}:${r.id}`} repo={r} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * Asking for a Space's runtime wakes it and keeps it awake: the widget (and its polling) starts only
 * when the visitor asks to try the model, not with every view of the model's page.
 */
function TryIt({ space }: { space: RepoInfoView }) {
  const [trying, setTrying] = useState(false);
  if (trying) return <ModelWidget space={space} />;
  return (
    <button type="button" className="button button-primary button-small" onClick={() => setTrying(true)}>
      Try it
    </button>
  );
}

/** The Space's demo form once it runs; asking for its runtime wakes it if it sleeps. */
function ModelWidget({ space }: { space: RepoInfoView }) {
  const { runtime, error } = useRuntime(space.id);
  if (!runtime) return <p className="muted small">{error ?? 'Starting the model…'}</p>;
  if (!isRunning(runtime.stage))
    return (
      <p className="muted small">
        {runtime.stage === 'SLEEPING' || runtime.stage === 'BUILDING' ? (
          'Waking the model up…'
        ) : (
          <>
            The model's Space is not running: <StageBadge runtime={runtime} />
          </>
        )}
      </p>
    );
  return (
    <Suspense fallback={<p className="muted small">Loading…</p>}>
      <DemoApp spaceId={space.id} revision={runtime.sha ?? space.sha ?? 'main'} />
    </Suspense>
  );
}
