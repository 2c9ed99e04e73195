import * as Y from 'yjs';
import {
  type CellType,
  cellToY,
  type Json,
  type JsonObject,
  joinLines,
  newCellId,
  notebookCells,
  notebookMeta,
  splitLines,
  toJson,
} from './notebookDoc.js';

/** An nbformat 4 notebook as JSON (the subset Atrium reads; anything else in metadata is kept). */
export interface Ipynb {
  nbformat: number;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: JsonObject[];
}

/** Why a value is not an nbformat 4 notebook, or null. */
export function ipynbProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const nb = value as Partial<Ipynb>;
  if (nb.nbformat !== 4) return `nbformat ${String(nb.nbformat)} is not supported (only 4)`;
  if (!Array.isArray(nb.cells)) return 'cells must be an array';
  for (const [i, cell] of nb.cells.entries()) {
    if (typeof cell !== 'object' || cell === null) return `cell ${i} is not an object`;
    const type = (cell as JsonObject).cell_type;
    if (type !== 'code' && type !== 'markdown' && type !== 'raw')
      return `cell ${i} has unknown cell_type ${String(type)}`;
  }
  return null;
}

/** Writes a notebook into an empty Y.Doc in one transaction. Cells without ids get one (nbformat 4.5). */
export function importIpynb(doc: Y.Doc, nb: Ipynb): void {
  doc.transact(() => {
    const meta = notebookMeta(doc);
    meta.set('nbformat', 4);
    meta.set('nbformat_minor', Math.max(nb.nbformat_minor ?? 0, 5));
    meta.set('metadata', nb.metadata ?? {});
    const cells = notebookCells(doc);
    cells.push(
      nb.cells.map((cell) =>
        cellToY({
          id: typeof cell.id === 'string' ? cell.id : newCellId(),
          cell_type: cell.cell_type as CellType,
          source: joinLines(cell.source),
          metadata: (cell.metadata as JsonObject | undefined) ?? {},
          outputs: (cell.outputs as JsonObject[] | undefined) ?? [],
          execution_count: (cell.execution_count as number | null | undefined) ?? null,
          ...(cell.attachments !== undefined ? { attachments: cell.attachments as JsonObject } : {}),
        }),
      ),
    );
  });
}

function outputToIpynb(output: JsonObject): JsonObject {
  const out: JsonObject = { ...output };
  if (out.output_type === 'stream') out.text = splitLines(joinLines(out.text));
  return out;
}

/** Reads a Y.Doc back as nbformat 4.5 JSON, multi-line strings as lists of lines, like Jupyter. */
export function exportIpynb(doc: Y.Doc): Ipynb {
  const meta = notebookMeta(doc);
  const cells = notebookCells(doc)
    .toArray()
    .map((yCell) => {
      const cell = toJson(yCell) as JsonObject;
      const out: JsonObject = {
        cell_type: cell.cell_type as Json,
        id: cell.id as Json,
        metadata: (cell.metadata as JsonObject) ?? {},
        source: splitLines(String(cell.source ?? '')),
      };
      if (cell.cell_type === 'code') {
        out.execution_count = (cell.execution_count as Json) ?? null;
        out.outputs = ((cell.outputs as JsonObject[]) ?? []).map(outputToIpynb);
      } else if (cell.attachments !== undefined) {
        out.attachments = cell.attachments as Json;
      }
      return out;
    });
  return {
    nbformat: 4,
    nbformat_minor: Math.max(Number(meta.get('nbformat_minor') ?? 5), 5),
    metadata: (toJson(meta.get('metadata')) as JsonObject) ?? {},
    cells,
  };
}

/** A fresh Y.Doc holding the notebook. */
export function ydocFromIpynb(nb: Ipynb): Y.Doc {
  const doc = new Y.Doc();
  importIpynb(doc, nb);
  return doc;
}
