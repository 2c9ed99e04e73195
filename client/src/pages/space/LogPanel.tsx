import { isPermanentClose, type SpaceLogLine, STREAM_CLOSE_EVENT, type StreamClose } from '@atrium/protocol';
import { useEffect, useRef, useState } from 'react';

/** The Space's build or run log, streamed as the Hub's SSE (`data: {"data","timestamp"}`): history, then live. */
export function LogPanel({ spaceId, revision }: { spaceId: string; revision: string }) {
  const [kind, setKind] = useState<'build' | 'run'>('run');
  const [lines, setLines] = useState<SpaceLogLine[]>([]);
  const [status, setStatus] = useState<'connecting' | 'open' | 'closed'>('connecting');
  const bottom = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision means a new build and run
  useEffect(() => {
    setLines([]);
    setStatus('connecting');
    const source = new EventSource(`/api/spaces/${spaceId}/logs/${kind}`, { withCredentials: true });
    source.onopen = () => {
      // Every connection replays the log's history first: start the page's copy over.
      setLines([]);
      setStatus('open');
    };
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    // The server ended the stream on purpose. Access taken away or the Space renamed: stay closed. A
    // reader that fell too far behind (SlowReader): let EventSource reconnect and replay the history.
    source.addEventListener(STREAM_CLOSE_EVENT, (e) => {
      let code = 0;
      try {
        code = (JSON.parse((e as MessageEvent).data as string) as StreamClose).code;
      } catch {
        // No code: treat it as final.
      }
      if (code !== 0 && !isPermanentClose(code)) return;
      source.close();
      setStatus('closed');
    });
    source.onmessage = (e) => {
      try {
        const line = JSON.parse(e.data as string) as SpaceLogLine;
        // Keep the page light: the last 2,000 lines.
        setLines((all) => (all.length >= 2000 ? [...all.slice(-1999), line] : [...all, line]));
      } catch {
        // A line that is not the Hub's shape (a comment, a heartbeat) is not a log line.
      }
    };
    return () => source.close();
  }, [spaceId, kind, revision]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll to the end whenever a line arrives
  useEffect(() => {
    // Braces: newer Chromium returns a Promise from scrollIntoView, and an effect may only return a cleanup.
    bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [lines]);
  return (
    <section className="log-panel">
      <div className="log-tabs" role="tablist">
        {(['build', 'run'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            className={kind === k ? 'active' : ''}
            onClick={() => setKind(k)}
          >
            {k === 'build' ? 'Build logs' : 'Container logs'}
          </button>
        ))}
        <span className="muted small">{status === 'open' ? '● live' : status}</span>
      </div>
      <pre className="log-lines" data-kind={kind}>
        {lines.length === 0 && <span className="muted">No log lines yet.</span>}
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: log lines only append
          <div key={i} className="log-line">
            <time className="muted">{l.timestamp ? new Date(l.timestamp).toLocaleTimeString() : ''}</time>{' '}
            {l.data}
          </div>
        ))}
        <div ref={bottom} />
      </pre>
    </section>
  );
}
