import {
  collabDocumentName,
  KERNEL_LANGUAGES,
  type KernelLanguage,
  LANGUAGE_LABELS,
  type NotebookKernelStatus,
} from '@atrium/protocol';
import type { EditorView } from '@codemirror/view';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage, notebookApi } from '../../api';
import { useSession } from '../../auth';
import { ConfirmDialog, ErrorMessage } from '../../components';
import { useResource } from '../../hooks/useResource';
import { CellTypeSelect } from './CellTypeSelect';
import { CellView } from './CellView';
import { HistoryPanel } from './HistoryPanel';
import { KernelBadge } from './KernelBadge';
import { NotebookActions } from './NotebookActions';
import {
  type CellType,
  cellId,
  cellType,
  deleteCell,
  insertCell,
  languageOf,
  moveCell,
  setCellType,
  setNotebookLanguage,
  splitCell,
} from './notebookModel';
import { PresenceList } from './PresenceList';
import { type LiveNotebook, useNotebookDoc } from './useNotebookDoc';
import { useStickyBelowHeader } from './useStickyBelowHeader';
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
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [message, setMessage] = useState('');
  const [askRestart, setAskRestart] = useState(false);
  const toolbar = useRef<HTMLDivElement>(null);
  useStickyBelowHeader(toolbar);
  const views = useRef(new Map<string, EditorView>());
  const lastD = useRef(0);

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

  const ids = useMemo(() => cells.map(cellId), [cells]);
  const current = selected && ids.includes(selected) ? selected : (ids[0] ?? null);

  useEffect(() => {
    provider.awareness.setLocalStateField('cell', current);
  }, [provider, current]);

  const act = useCallback(async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  const select = useCallback((cell: string) => setSelected(cell), []);
  const edit = useCallback(
    (cell: string) => {
      setSelected(cell);
      if (canWrite) setEditing(cell);
    },
    [canWrite],
  );
  const commandMode = useCallback((cell: string) => {
    setSelected(cell);
    setEditing(null);
  }, []);
  const registerView = useCallback((cell: string, view: EditorView | null) => {
    if (view) views.current.set(cell, view);
    else views.current.delete(cell);
  }, []);

  const cellIds = useRef(ids);
  cellIds.current = ids;
  const run = useCallback(
    (cell: string, advance: boolean) => {
      const map = live.cells.find((c) => cellId(c) === cell);
      if (!map) return;
      if (cellType(map) === 'code' && canWrite) void act(() => notebookApi.run(id, [cell]));
      if (!advance) {
        if (cellType(map) === 'markdown') commandMode(cell);
        return;
      }
      const i = cellIds.current.indexOf(cell);
      const next = cellIds.current[i + 1];
      if (next) commandMode(next);
      else if (canWrite) edit(insertCell(doc, i + 1, 'code'));
      else commandMode(cell);
    },
    [live.cells, canWrite, act, id, commandMode, edit, doc],
  );

  const addCell = (where: 'above' | 'below', type: CellType = 'code') => {
    const i = current ? ids.indexOf(current) : ids.length - 1;
    const fresh = insertCell(doc, where === 'above' ? Math.max(i, 0) : i + 1, type);
    commandMode(fresh);
    return fresh;
  };
  const removeCell = () => {
    if (!current) return;
    const i = ids.indexOf(current);
    deleteCell(doc, current);
    const next = ids[i + 1] ?? ids[i - 1] ?? null;
    setSelected(next);
    setEditing(null);
  };
  const split = () => {
    if (!current) return;
    const view = views.current.get(current);
    const fresh = splitCell(doc, current, view ? view.state.selection.main.head : 0);
    if (fresh) edit(fresh);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (editing || !current) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, button, .cm-editor, a')) return;
    const i = ids.indexOf(current);
    const key = e.key;
    let handled = true;
    if (key === 'Enter' && e.shiftKey) run(current, true);
    else if (key === 'Enter' && (e.ctrlKey || e.metaKey)) run(current, false);
    else if (key === 'Enter') edit(current);
    else if (key === 'ArrowUp' || key === 'k') setSelected(ids[Math.max(0, i - 1)] ?? current);
    else if (key === 'ArrowDown' || key === 'j') setSelected(ids[Math.min(ids.length - 1, i + 1)] ?? current);
    else if (!canWrite || e.ctrlKey || e.metaKey || e.altKey) handled = false;
    else if (key === 'a') addCell('above');
    else if (key === 'b') addCell('below');
    else if (key === 'm') setCellType(doc, current, 'markdown');
    else if (key === 'y') setCellType(doc, current, 'code');
    else if (key === 'r') setCellType(doc, current, 'raw');
    else if (key === 'd') {
      // dd deletes, as in Jupyter: two presses within a moment.
      if (Date.now() - lastD.current < 800) {
        removeCell();
        lastD.current = 0;
      } else lastD.current = Date.now();
    } else handled = false;
    if (handled) e.preventDefault();
  };

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

  const save = () =>
    act(async () => {
      await notebookApi.save(id, message);
      setMessage('');
      setHistoryVersion((v) => v + 1);
    });

  const disabled = !canWrite;
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
        <div className="nb-toolbar" role="toolbar" aria-label="Notebook" ref={toolbar}>
          <button
            type="button"
            className="button button-primary button-small"
            disabled={disabled || !current}
            onClick={() => current && run(current, true)}
          >
            ▶ Run
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled}
            onClick={() => act(() => notebookApi.runAll(id))}
          >
            Run all
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled}
            onClick={() => act(() => notebookApi.interrupt(id))}
          >
            ■ Interrupt
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled}
            onClick={() => setAskRestart(true)}
          >
            ↻ Restart
          </button>
          <span className="nb-toolbar-sep" />
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled}
            onClick={() => addCell('below')}
          >
            + Cell
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled || !current}
            onClick={removeCell}
            aria-label="Delete cell"
          >
            Delete
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled || !current}
            onClick={() => current && moveCell(doc, current, -1)}
            aria-label="Move cell up"
          >
            ↑
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled || !current}
            onClick={() => current && moveCell(doc, current, 1)}
            aria-label="Move cell down"
          >
            ↓
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={disabled || !current}
            onClick={split}
          >
            Split
          </button>
          <CellTypeSelect
            cell={current ? cells.find((c) => cellId(c) === current) : undefined}
            disabled={disabled}
            onChange={(type) => current && setCellType(doc, current, type)}
          />
          <span className="nb-toolbar-sep" />
          {canWrite && (
            <>
              <input
                className="nb-commit-message"
                placeholder="Commit message"
                aria-label="Commit message"
                value={message}
                onChange={(e) => setMessage(e.target.value)}
              />
              <button type="button" className="button button-primary button-small" onClick={save}>
                Save
              </button>
            </>
          )}
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => setShowHistory((s) => !s)}
            aria-pressed={showHistory}
          >
            History
          </button>
          <a className="button button-small button-secondary" href={notebookApi.exportUrl(id)} download>
            Export .ipynb
          </a>
        </div>
      )}
      <ConfirmDialog
        open={askRestart}
        title="Restart the kernel?"
        confirmLabel="Restart"
        danger
        onConfirm={() => void act(() => notebookApi.restart(id))}
        onClose={() => setAskRestart(false)}
      >
        <p>Every variable is lost, for everyone using this notebook; outputs stay.</p>
      </ConfirmDialog>
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
                onSelect={select}
                onEdit={edit}
                onCommandMode={commandMode}
                onRun={run}
                registerView={registerView}
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
