import type { RepoInfoView, SpaceRuntimeView } from '@atrium/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { spaceApi } from '../../api';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';
import { useResource } from '../../hooks/useResource';
import { sleepChoices } from './sleepTime';

/** A key/value form for a variable or a secret. */
function KeyValueForm({
  what,
  onSubmit,
}: {
  what: 'variable' | 'secret';
  onSubmit: (k: string, v: string, d: string) => Promise<void>;
}) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [description, setDescription] = useState('');
  const { run, pending, error } = useAction(async () => {
    await onSubmit(key.trim(), value, description.trim());
    setKey('');
    setValue('');
    setDescription('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="kv-form" onSubmit={submit} aria-label={`New ${what}`}>
      <ErrorMessage message={error} />
      <input
        name={`${what}-key`}
        placeholder="KEY"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        required
      />
      <input
        name={`${what}-value`}
        type={what === 'secret' ? 'password' : 'text'}
        placeholder="value"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
      />
      <input
        name={`${what}-description`}
        placeholder="description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <button type="submit" className="button button-primary button-small" disabled={pending}>
        Add {what}
      </button>
    </form>
  );
}

/**
 * The Space's runtime settings for writers: restart, pause, sleep time, variables (public, copied on
 * duplicate) and secrets (write-only: set or deleted, never shown; copied on duplicate only when a
 * writer asks).
 */
export function SpaceSettings({
  repo,
  runtime,
  onRuntime,
}: {
  repo: RepoInfoView;
  runtime: SpaceRuntimeView | null;
  onRuntime: (r: SpaceRuntimeView | null) => void;
}) {
  const id = repo.id;
  const { resource: variables, reload } = useResource(`variables:${id}`, () => spaceApi.variables(id));
  const [secrets, setSecrets] = useState<string[]>([]);
  useEffect(() => {
    spaceApi.secrets(id).then(
      (all) => setSecrets(Object.keys(all)),
      () => undefined,
    );
  }, [id]);
  const control = useAction(async (what: 'restart' | 'pause' | number) => {
    const next =
      what === 'restart'
        ? await spaceApi.restart(id)
        : what === 'pause'
          ? await spaceApi.pause(id)
          : await spaceApi.setSleepTime(id, what);
    onRuntime(next && typeof next === 'object' && 'stage' in next ? next : null);
  });
  const removeVariable = useAction(async (key: string) => {
    await spaceApi.deleteVariable(id, key);
    reload();
  });
  const removeSecret = useAction(async (key: string) => {
    await spaceApi.deleteSecret(id, key);
    setSecrets((s) => s.filter((k) => k !== key));
  });
  return (
    <div className="space-settings">
      <section className="card">
        <h2>Runtime</h2>
        <ErrorMessage message={control.error} />
        <p>
          Stage: <strong>{runtime?.stage ?? '…'}</strong>
          {runtime?.errorMessage && <span className="form-error"> — {runtime.errorMessage}</span>}
        </p>
        <div className="space-settings-row">
          <button
            type="button"
            className="button button-secondary"
            disabled={control.pending}
            onClick={() => void control.run('restart')}
          >
            Restart
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={control.pending || runtime?.stage === 'PAUSED'}
            onClick={() => void control.run('pause')}
          >
            Pause
          </button>
          <label>
            Sleep{' '}
            {/* The value the runtime applies (its gcTimeout), never a menu's first entry standing in for it. */}
            <select
              name="sleep-time"
              value={runtime ? (runtime.gcTimeout ?? -1) : ''}
              onChange={(e) => void control.run(Number(e.target.value))}
              disabled={control.pending || !runtime}
            >
              {!runtime && <option value="">…</option>}
              {sleepChoices(runtime?.gcTimeout ?? null).map((c) => (
                <option key={c.seconds} value={c.seconds}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>
      <section className="card">
        <h2>Variables</h2>
        <p className="muted small">Public environment variables of the app; a duplicate copies them.</p>
        <ErrorMessage message={removeVariable.error} />
        {variables.state === 'failed' && <p className="muted">{variables.error}</p>}
        {variables.state === 'ready' && (
          <ul className="kv-list">
            {Object.entries(variables.data).map(([key, v]) => (
              <li key={key}>
                <code>{key}</code> = <code>{v.value}</code>{' '}
                {v.description && <span className="muted">{v.description}</span>}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => void removeVariable.run(key)}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <KeyValueForm
          what="variable"
          onSubmit={async (k, v, d) => {
            await spaceApi.setVariable(id, k, v, d || undefined);
            reload();
          }}
        />
      </section>
      <section className="card">
        <h2>Secrets</h2>
        <p className="muted small">
          Private environment variables: write-only (never shown again); a duplicate gets them only when one
          of this Space's writers makes it and asks.
        </p>
        <ErrorMessage message={removeSecret.error} />
        <ul className="kv-list">
          {secrets.map((key) => (
            <li key={key}>
              <code>{key}</code> = <span className="muted">hidden</span>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => void removeSecret.run(key)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
        <KeyValueForm
          what="secret"
          onSubmit={async (k, v, d) => {
            await spaceApi.setSecret(id, k, v, d || undefined);
            setSecrets((s) => [...new Set([...s, k])]);
          }}
        />
      </section>
    </div>
  );
}
