import {
  collabDocumentName,
  KERNEL_LANGUAGES,
  type KernelLanguage,
  LANGUAGE_LABELS,
  type NotebookKernelStatus,
} from '@atrium/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { notebookApi } from '../../api';
import { useSession } from '../../auth';
import { ErrorMessage } from '../../components';
import { useResource } from '../../hooks/useResource';
import { CellView } from './CellView';
import { HistoryPanel } from './HistoryPanel';
import { KernelBadge } from './KernelBadge';
import { NotebookActions } from './NotebookActions';
import { NotebookToolbar } from './NotebookToolbar';
import { cellId, languageOf, setNotebookLanguage } from './notebookModel';
import { PresenceList } from './PresenceList';
import { useCellActions } from './useCellActions';
import { useCommandModeKeys } from './useCommandModeKeys';
import { type LiveNotebook, useNotebookDoc } from './useNotebookDoc';
import './notebook.css';

/**
 * The notebook page: co-edited cells, the shared kernel, outputs live for everyone. `embedded` is the
 * page other sites frame (`/embed/notebooks/…`): read-only cells and outputs, no toolbar.
 */
export function NotebookPage({ embedded = false }: { embedded?: boolean }) {
  const { owner = '', name = '' } = useParams();
  const id = `${owner}/${name}`;
  const { resource } = useResource(id, () => notebookApi.session(id));
  const { session } = useSession();
  const live = useNotebookDoc(
    collabDocumentName('notebook', id),
    session.user?.name ?? 'You (guest)',
    embedded,
  );
  if (resource.state === 'loading' || !live) return <p className="nb-loading">Opening {id}…</p>;
  if (resource.state === 'failed') return <ErrorMessage message={resource.error} />;
  return (
    <Notebook
      id={id}
      me={session.user?.name ?? null}
      live={live}
      canWrite={!embedded && resource.data.canWrite && !live.readOnly && !live.closedReason}
      initialKernel={resource.data.kernel}
      embedded={embedded}
    />
  );
}

function Notebook({
  id,
  me,
  live,
  canWrite,
  initialKernel,
  embedded,
}: {
  id: string;
  me: string | null;
  live: LiveNotebook;
  canWrite: boolean;
  initialKernel: NotebookKernelStatus;
  embedded: boolean;
}) {
  const { doc, provider, cells, people, synced } = live;
  const kernel = live.kernel ?? initialKernel;
  const [search] = useSearchParams();
  const eager = search.get('eager') === '1';
  const [showHistory, setShowHistory] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const actions = useCellActions({ id, doc, cells, canWrite });
  const { ids, current, editing, error, setError } = actions;
  const onKeyDown = useCommandModeKeys(doc, actions, canWrite);

  const [language, setLanguage] = useState(() => languageOf(doc));
  useEffect(() => {
    const meta = doc.getMap('meta');
    const read = () => setLanguage(languageOf(doc));
    meta.observe(read);
    read();
    return () => meta.unobserve(read);
  }, [doc]);
  const complete = useCallback(
    async (code: string, cursorPos: number) => {
      const reply = await notebookApi.complete(id, code, cursorPos);
      return { matches: reply.matches, from: reply.cursor_start, to: reply.cursor_end };
    },
    [id],
  );
  const inspect = useCallback(
    async (code: string, cursorPos: number) => {
      const reply = await notebookApi.inspect(id, code, cursorPos).catch(() => null);
      const text = reply?.found ? reply.data['text/plain'] : null;
      // The kernel colours its help with ANSI escapes; the help box shows plain text.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
      return typeof text === 'string' ? text.replace(/\x1b\[[0-9;]*m/g, '') : null;
    },
    [id],
  );

  useEffect(() => {
    provider.awareness.setLocalStateField('cell', current);
  }, [provider, current]);

  const marks = useMemo(() => {
    const m = new Map<string, 'running' | 'queued'>();
    for (const q of kernel.queued) m.set(q, 'queued');
    if (kernel.running) m.set(kernel.running, 'running');
    return m;
  }, [kernel]);
  const peopleByCell = useMemo(() => {
    const m = new Map<string, typeof people>();
    for (const p of people) if (p.cell && !p.self) m.set(p.cell, [...(m.get(p.cell) ?? []), p]);
    return m;
  }, [people]);

  return (
    <div className={`nb-page${embedded ? ' nb-embedded' : ''}`}>
      <header className="nb-header">
        <div className="nb-title">
          <h1>
            <span className="nb-owner">{id.split('/')[0]} /</span> {id.split('/')[1]}
          </h1>
          {!canWrite && !embedded && <span className="nb-readonly-badge">Read only</span>}
          <label className="nb-language">
            <select
              aria-label="Kernel language"
              data-testid="kernel-language"
              value={language}
              disabled={!canWrite}
              title="The notebook's kernel: switching it starts a new kernel at the next run"
              onChange={(e) => setNotebookLanguage(doc, e.target.value as KernelLanguage)}
            >
              {KERNEL_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_LABELS[l]}
                </option>
              ))}
            </select>
          </label>
          <KernelBadge kernel={kernel} />
        </div>
        <PresenceList people={people} ids={ids} />
        {!embedded && <NotebookActions id={id} me={me} canWrite={canWrite} onError={setError} />}
      </header>
      {embedded ? (
        <a className="nb-embed-link" href={`/notebooks/${id}`} target="_blank" rel="noreferrer">
          Open in Atrium ↗
        </a>
      ) : (
        <NotebookToolbar
          id={id}
          doc={doc}
          cells={cells}
          canWrite={canWrite}
          actions={actions}
          showHistory={showHistory}
          onToggleHistory={() => setShowHistory((s) => !s)}
          onSaved={() => setHistoryVersion((v) => v + 1)}
        />
      )}
      {error && <ErrorMessage message={error} />}
      {live.closedReason && <ErrorMessage message={live.closedReason} />}
      {live.movedTo && (
        <p>
          <Link to={`/${live.movedTo}`}>Open it under its new name</Link>
        </p>
      )}
      <div className="nb-main">
        {/* Command-mode shortcuts (a, b, dd, m, y, Enter, Shift+Enter, Ctrl+Enter) are read here. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the cells inside are the focusable elements. */}
        <div className="nb-cells" data-testid="cells" data-synced={synced} onKeyDown={onKeyDown}>
          {synced && cells.length === 0 && <p className="nb-empty">This notebook has no cells yet.</p>}
          {cells.map((cell, index) => {
            const cid = cellId(cell);
            return (
              <CellView
                key={cid}
                cell={cell}
                index={index}
                awareness={provider.awareness}
                selected={cid === current}
                editing={cid === editing}
                canWrite={canWrite}
                eager={eager}
                kernelMark={marks.get(cid) ?? null}
                people={peopleByCell.get(cid) ?? NOBODY}
                onSelect={actions.select}
                onEdit={actions.edit}
                onCommandMode={actions.commandMode}
                onRun={actions.run}
                registerView={actions.registerView}
                language={language}
                complete={complete}
                inspect={inspect}
              />
            );
          })}
        </div>
        {showHistory && <HistoryPanel id={id} version={historyVersion} />}
      </div>
    </div>
  );
}

const NOBODY: never[] = [];
