import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { type CellType, cellType } from './notebookModel';

/**
 * The toolbar's cell-type menu for the selected cell. It watches that cell's map itself: a type set by
 * a shortcut (m, y, r) or by a collaborator changes the cell, not the page's list of cells.
 */
export function CellTypeSelect({
  cell,
  disabled,
  onChange,
}: {
  cell: Y.Map<unknown> | undefined;
  disabled: boolean;
  onChange: (type: CellType) => void;
}) {
  const [type, setType] = useState<CellType>(() => (cell ? cellType(cell) : 'code'));
  useEffect(() => {
    if (!cell) return;
    const read = () => setType(cellType(cell));
    read();
    cell.observe(read);
    return () => cell.unobserve(read);
  }, [cell]);
  return (
    <select
      aria-label="Cell type"
      disabled={disabled || !cell}
      value={type}
      onChange={(e) => onChange(e.target.value as CellType)}
    >
      <option value="code">Code</option>
      <option value="markdown">Markdown</option>
      <option value="raw">Raw</option>
    </select>
  );
}
