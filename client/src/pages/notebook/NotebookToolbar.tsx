import { useRef, useState } from 'react';
import type * as Y from 'yjs';
import { notebookApi } from '../../api';
import { ConfirmDialog } from '../../components';
import { CellTypeSelect } from './CellTypeSelect';
import { cellId, moveCell, setCellType } from './notebookModel';
import type { CellActions } from './useCellActions';
import { useStickyBelowHeader } from './useStickyBelowHeader';

/**
 * The notebook's toolbar, sticky just below the site header: run, run all, interrupt, restart (after
 * a confirmation), cell add/delete/move/split and type; for writers a commit message and Save; the
 * history toggle and the .ipynb export.
 */
export function NotebookToolbar({
  id,
  doc,
  cells,
  canWrite,
  actions,
  showHistory,
  onToggleHistory,
  onSaved,
}: {
  id: string;
  doc: Y.Doc;
  cells: Y.Map<unknown>[];
  canWrite: boolean;
  actions: CellActions;
  showHistory: boolean;
  onToggleHistory: () => void;
  onSaved: () => void;
}) {
  const { current, run, act, addCell, removeCell, split } = actions;
  const [message, setMessage] = useState('');
  const [askRestart, setAskRestart] = useState(false);
  const toolbar = useRef<HTMLDivElement>(null);
  useStickyBelowHeader(toolbar);
  const disabled = !canWrite;
  const save = () =>
    act(async () => {
      await notebookApi.save(id, message);
      setMessage('');
      onSaved();
    });

  return (
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
        onClick={onToggleHistory}
        aria-pressed={showHistory}
      >
        History
      </button>
      <a className="button button-small button-secondary" href={notebookApi.exportUrl(id)} download>
        Export .ipynb
      </a>
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
    </div>
  );
}
