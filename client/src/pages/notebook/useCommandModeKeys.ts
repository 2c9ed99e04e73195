import { useRef } from 'react';
import type * as Y from 'yjs';
import { setCellType } from './notebookModel';
import type { CellActions } from './useCellActions';

/** Two presses of d within this long delete the cell, as in Jupyter. */
const DOUBLE_PRESS_MS = 800;

/**
 * Jupyter's command-mode shortcuts, read on the cell list: Enter, Shift+Enter, Ctrl+Enter, ↑/↓ and
 * j/k for everyone; a, b, dd, m, y, r for writers. Keys typed in an editor or a control are theirs.
 */
export function useCommandModeKeys(doc: Y.Doc, actions: CellActions, canWrite: boolean) {
  const lastD = useRef(0);
  const { ids, current, editing, run, edit, setSelected, addCell, removeCell } = actions;
  return (e: React.KeyboardEvent) => {
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
      if (Date.now() - lastD.current < DOUBLE_PRESS_MS) {
        removeCell();
        lastD.current = 0;
      } else lastD.current = Date.now();
    } else handled = false;
    if (handled) e.preventDefault();
  };
}
