import { type KernelLanguage, NOTEBOOK_KERNELSPECS, notebookLanguage } from '@atrium/protocol';
import * as Y from 'yjs';

/** Cell kinds of nbformat. */
export type CellType = 'code' | 'markdown' | 'raw';

/** The notebook's cells: root Y.Array "cells" of Y.Map (DESIGN.md §3, jupyter_ydoc-compatible). */
export const cellsOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('cells');

/** A short random cell id, as nbformat 4.5 asks. */
export const newCellId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);

export const cellId = (cell: Y.Map<unknown>) => String(cell.get('id'));
export const cellType = (cell: Y.Map<unknown>) => (cell.get('cell_type') as CellType) ?? 'code';
export const cellSource = (cell: Y.Map<unknown>) => cell.get('source') as Y.Text;

function outputToY(output: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(output))
    map.set(k, output.output_type === 'stream' && k === 'text' ? new Y.Text(String(v)) : v);
  return map;
}

/** A new cell's Y.Map, with the same shape the server builds. */
export function makeCell(
  type: CellType,
  source = '',
  id = newCellId(),
  rest?: Record<string, unknown>,
): Y.Map<unknown> {
  const cell = new Y.Map<unknown>();
  cell.set('id', id);
  cell.set('cell_type', type);
  cell.set('source', new Y.Text(source));
  const metadata = new Y.Map<unknown>();
  for (const [k, v] of Object.entries((rest?.metadata as Record<string, unknown>) ?? {})) metadata.set(k, v);
  cell.set('metadata', metadata);
  if (type === 'code') {
    const outputs = new Y.Array<Y.Map<unknown>>();
    outputs.push(((rest?.outputs as Record<string, unknown>[]) ?? []).map(outputToY));
    cell.set('outputs', outputs);
    cell.set('execution_count', rest?.execution_count ?? null);
    cell.set('execution_state', 'idle');
  }
  return cell;
}

const indexOf = (doc: Y.Doc, id: string) =>
  cellsOf(doc)
    .toArray()
    .findIndex((c) => cellId(c) === id);

/** Inserts a cell at `index`; returns its id. */
export function insertCell(doc: Y.Doc, index: number, type: CellType = 'code', source = ''): string {
  const cell = makeCell(type, source);
  cellsOf(doc).insert(Math.max(0, Math.min(index, cellsOf(doc).length)), [cell]);
  return cellId(cell);
}

export function deleteCell(doc: Y.Doc, id: string): void {
  const i = indexOf(doc, id);
  if (i >= 0) cellsOf(doc).delete(i, 1);
}

/** Moves a cell up (-1) or down (+1): Yjs cannot move an item, so it is re-created in one transaction. */
export function moveCell(doc: Y.Doc, id: string, delta: -1 | 1): void {
  const cells = cellsOf(doc);
  const i = indexOf(doc, id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= cells.length) return;
  doc.transact(() => {
    const json = cells.get(i).toJSON() as Record<string, unknown>;
    cells.delete(i, 1);
    cells.insert(j, [makeCell(json.cell_type as CellType, String(json.source ?? ''), id, json)]);
  });
}

/** Splits a cell at a character offset: the text after it goes into a new cell below. */
export function splitCell(doc: Y.Doc, id: string, offset: number): string | null {
  const i = indexOf(doc, id);
  if (i < 0) return null;
  const cell = cellsOf(doc).get(i);
  const text = cellSource(cell);
  const at = Math.max(0, Math.min(offset, text.length));
  const tail = text.toString().slice(at);
  const fresh = makeCell(cellType(cell), tail.replace(/^\n/, ''));
  doc.transact(() => {
    text.delete(at, text.length - at);
    cellsOf(doc).insert(i + 1, [fresh]);
  });
  return cellId(fresh);
}

/** Changes a cell's type in place (the source keeps its identity, so concurrent typing survives). */
export function setCellType(doc: Y.Doc, id: string, type: CellType): void {
  const i = indexOf(doc, id);
  if (i < 0) return;
  const cell = cellsOf(doc).get(i);
  if (cellType(cell) === type) return;
  doc.transact(() => {
    cell.set('cell_type', type);
    if (type === 'code') {
      cell.set('outputs', new Y.Array());
      cell.set('execution_count', null);
      cell.set('execution_state', 'idle');
    } else {
      cell.delete('outputs');
      cell.delete('execution_count');
      cell.delete('execution_state');
    }
  });
}

/** The notebook's kernel language, from its metadata (kernelspec, language_info), as the server reads it. */
export const languageOf = (doc: Y.Doc): KernelLanguage =>
  notebookLanguage(doc.getMap('meta').get('metadata'));

/** Switches the notebook's kernel: its kernelspec and language_info, in one shared edit (the next run uses it). */
export function setNotebookLanguage(doc: Y.Doc, language: KernelLanguage): void {
  const meta = doc.getMap('meta');
  const metadata = (meta.get('metadata') as Record<string, unknown> | undefined) ?? {};
  meta.set('metadata', { ...metadata, ...NOTEBOOK_KERNELSPECS[language] });
}
