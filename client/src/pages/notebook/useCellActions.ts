import type { EditorView } from '@codemirror/view';
import { useCallback, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { errorMessage, notebookApi } from '../../api';
import { type CellType, cellId, cellType, deleteCell, insertCell, splitCell } from './notebookModel';

/**
 * What can be done to the notebook's cells and kernel, shared by the toolbar, the keyboard shortcuts
 * and the cells: which cell is selected or edited, running (and moving on, as Shift+Enter does),
 * adding, deleting, splitting; failed calls land in `error`.
 */
export function useCellActions({
  id,
  doc,
  cells,
  canWrite,
}: {
  id: string;
  doc: Y.Doc;
  cells: Y.Map<unknown>[];
  canWrite: boolean;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const views = useRef(new Map<string, EditorView>());

  const ids = useMemo(() => cells.map(cellId), [cells]);
  const current = selected && ids.includes(selected) ? selected : (ids[0] ?? null);

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
      const map = cells.find((c) => cellId(c) === cell);
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
    [cells, canWrite, act, id, commandMode, edit, doc],
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

  return {
    ids,
    current,
    editing,
    error,
    setError,
    act,
    select,
    setSelected,
    edit,
    commandMode,
    registerView,
    run,
    addCell,
    removeCell,
    split,
  };
}

export type CellActions = ReturnType<typeof useCellActions>;
