import { type DemoDescription, spaceAppPath } from '@atrium/protocol';
import { Client } from '@gradio/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { csrfToken, spaceApi } from '../../api';
import { useResource } from '../../hooks/useResource';
import { type CallState, nextCallState } from './callState';
import { DemoInput, initialValue } from './DemoInput';
import { DemoOutput } from './DemoOutput';
import { Markdown } from './Markdown';

/**
 * The generated UI of a running `atrium` Space: the demo's own input and output components,
 * called through the unmodified `@gradio/client`, so partial outputs show as they stream.
 * `revision` changes when the app restarts, which reloads the description.
 */
export function DemoApp({ spaceId, revision }: { spaceId: string; revision: string }) {
  const { resource } = useResource(`demo:${spaceId}@${revision}`, () => spaceApi.demo(spaceId));
  if (resource.state === 'loading') return <p className="muted">Loading the app…</p>;
  if (resource.state === 'failed') return <p className="demo-error">{resource.error}</p>;
  return <DemoForm key={revision} spaceId={spaceId} demo={resource.data} />;
}

function DemoForm({ spaceId, demo }: { spaceId: string; demo: DemoDescription }) {
  const [inputs, setInputs] = useState<unknown[]>(() => demo.inputs.map(initialValue));
  const [outputs, setOutputs] = useState<unknown[]>(() => demo.outputs.map(() => null));
  const [call, setCall] = useState<CallState>({ phase: 'idle' });
  const client = useRef<Promise<Client> | null>(null);
  const cancel = useRef<(() => Promise<void>) | null>(null);
  useEffect(
    () => () => {
      void cancel.current?.();
      void client.current?.then((c) => c.close()).catch(() => undefined);
    },
    [],
  );

  const connect = () => {
    client.current ??= Client.connect(`${window.location.origin}${spaceAppPath(spaceId)}`, {
      // Cookie-signed-in callers pass the CSRF check like every other change the page makes.
      headers: { 'X-CSRF-Token': csrfToken() ?? '' },
      credentials: 'same-origin',
      events: ['data', 'status'],
    }).catch((err: unknown) => {
      client.current = null;
      throw err;
    });
    return client.current;
  };

  const run = async (e?: FormEvent) => {
    e?.preventDefault();
    // The state this call is in, kept here too: the status events are folded in order (callState.ts).
    let current: CallState = { phase: 'queued' };
    const show = (next: CallState) => {
      if (next === current) return;
      current = next;
      setCall(next);
    };
    setCall(current);
    setOutputs(demo.outputs.map(() => null));
    // The result time a person waited, when the server's status does not carry the call's duration.
    const started = performance.now();
    try {
      const app = await connect();
      const job = app.submit(`/${demo.apiName}`, inputs);
      cancel.current = () => job.cancel();
      for await (const event of job) {
        if (event.type === 'data') {
          setOutputs(event.data as unknown[]);
          const next = nextCallState(current, { stage: 'streaming' }, messageOf, () => 0);
          show(next);
        } else if (event.type === 'status') {
          const next = nextCallState(current, event, messageOf, () => (performance.now() - started) / 1000);
          show(next);
          if (next.phase === 'done' || next.phase === 'failed') break;
        }
      }
    } catch (err) {
      setCall({ phase: 'failed', message: messageOf(err) });
    } finally {
      cancel.current = null;
    }
  };

  const busy = call.phase === 'queued' || call.phase === 'running' || call.phase === 'streaming';
  return (
    <div className="demo-app">
      <div className="demo-head">
        <h2>{demo.title}</h2>
        {demo.description && <p className="muted">{demo.description}</p>}
      </div>
      <div className="demo-columns">
        <form className="card demo-inputs" onSubmit={run}>
          {demo.inputs.map((c, i) => (
            <DemoInput
              key={c.name}
              c={c}
              value={inputs[i]}
              disabled={busy}
              onChange={(v) => setInputs((all) => all.map((old, j) => (j === i ? v : old)))}
            />
          ))}
          <div className="demo-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              Submit
            </button>
            {busy && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void cancel.current?.()}
              >
                Stop
              </button>
            )}
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => {
                setInputs(demo.inputs.map(initialValue));
                setOutputs(demo.outputs.map(() => null));
                setCall({ phase: 'idle' });
              }}
            >
              Clear
            </button>
          </div>
        </form>
        <div className="card demo-outputs" aria-live="polite">
          <CallStatus call={call} />
          {demo.outputs.map((c, i) => (
            <DemoOutput key={c.name} c={c} value={outputs[i]} />
          ))}
        </div>
      </div>
      {demo.examples.length > 0 && (
        <section className="demo-examples">
          <h3>Examples</h3>
          <table>
            <thead>
              <tr>
                {demo.inputs.map((c) => (
                  <th key={c.name}>{c.label ?? c.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {demo.examples.map((row, i) => (
                <tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: examples are a fixed list
                  key={i}
                  className="demo-example"
                  onClick={() => !busy && setInputs(demo.inputs.map((_, j) => row[j]))}
                >
                  {row.map((cell, j) => (
                    <td
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells of a fixed row
                      key={j}
                    >
                      {typeof cell === 'object' ? JSON.stringify(cell) : String(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {demo.article && <Markdown className="demo-article" source={demo.article} />}
    </div>
  );
}

function messageOf(err: unknown): string {
  if (typeof err === 'string') return err;
  if (Array.isArray(err)) return err.map((e) => (e as { msg?: string }).msg ?? String(e)).join('; ');
  if (err && typeof err === 'object' && 'message' in err)
    return String((err as { message: unknown }).message);
  return 'The call failed';
}

function CallStatus({ call }: { call: CallState }) {
  switch (call.phase) {
    case 'idle':
      return null;
    case 'queued':
      return (
        <p className="demo-status demo-queued">
          {call.position !== undefined
            ? `In queue: position ${call.position + 1}${call.size ? ` of ${call.size}` : ''}`
            : 'Joining the queue…'}
        </p>
      );
    case 'running':
      return <p className="demo-status">Running…</p>;
    case 'streaming':
      return <p className="demo-status demo-streaming">Streaming…</p>;
    case 'done':
      return (
        <p className="demo-status demo-done muted">
          Done{call.seconds ? ` in ${call.seconds.toFixed(2)} s` : ''}
        </p>
      );
    case 'failed':
      return (
        <p className="demo-status demo-error" role="alert">
          Error: {call.message}
        </p>
      );
  }
}
