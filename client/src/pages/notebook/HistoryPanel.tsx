import { notebookApi } from '../../api';
import { useResource } from '../../hooks/useResource';

/** The notebook's commits, newest first (each Save is one). */
export function HistoryPanel({ id, version }: { id: string; version: number }) {
  const { resource } = useResource(`${id}@${version}`, () => notebookApi.history(id));
  return (
    <aside className="nb-history" aria-label="History">
      <h2>History</h2>
      {resource.state === 'loading' && <p>Loading…</p>}
      {resource.state === 'failed' && <p>{resource.error}</p>}
      {resource.state === 'ready' && (
        <ol>
          {resource.data.map((c) => (
            <li key={c.id}>
              <strong>{c.title}</strong>
              <div className="nb-history-meta">
                {c.authors.map((a) => a.user).join(', ')} · {new Date(c.date).toLocaleString()} ·{' '}
                <code>{c.id.slice(0, 7)}</code>
              </div>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
