import * as Y from 'yjs';

/**
 * The notebook document, compatible with jupyter_ydoc: root Y.Map "meta" {nbformat, nbformat_minor,
 * metadata} and root Y.Array "cells" of Y.Map {id, cell_type, source: Y.Text, metadata: Y.Map,
 * outputs: Y.Array of Y.Map (stream `text` as Y.Text), execution_count, execution_state, attachments}.
 */
export type CellType = 'code' | 'markdown' | 'raw';
export type ExecutionState = 'idle' | 'running';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const notebookMeta = (doc: Y.Doc) => doc.getMap<unknown>('meta');
export const notebookCells = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('cells');

export interface CellInit {
  id?: string;
  cell_type: CellType;
  source?: string;
  metadata?: JsonObject;
  outputs?: JsonObject[];
  execution_count?: number | null;
  attachments?: JsonObject;
}

/** A short random cell id, as nbformat 4.5 asks (1–64 chars of [a-zA-Z0-9-_]). */
export const newCellId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);

/** Builds a Y.Map for one output; a stream's text is a Y.Text so appends merge as edits. */
export function outputToY(output: JsonObject): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(output)) {
    if (output.output_type === 'stream' && key === 'text') map.set(key, new Y.Text(joinLines(value)));
    else map.set(key, value);
  }
  return map;
}

/** Builds the Y.Map of a cell (not yet in a document). */
export function cellToY(init: CellInit): Y.Map<unknown> {
  const cell = new Y.Map<unknown>();
  cell.set('id', init.id ?? newCellId());
  cell.set('cell_type', init.cell_type);
  cell.set('source', new Y.Text(init.source ?? ''));
  const metadata = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(init.metadata ?? {})) metadata.set(k, v);
  cell.set('metadata', metadata);
  if (init.cell_type === 'code') {
    const outputs = new Y.Array<Y.Map<unknown>>();
    outputs.push((init.outputs ?? []).map(outputToY));
    cell.set('outputs', outputs);
    cell.set('execution_count', init.execution_count ?? null);
    cell.set('execution_state', 'idle' satisfies ExecutionState);
  } else if (init.attachments !== undefined) {
    cell.set('attachments', init.attachments);
  }
  return cell;
}

/** A plain-JSON reading of a Y value (Y.Text → string, Y.Map → object, Y.Array → array). */
export function toJson(value: unknown): Json {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.Map) {
    const out: JsonObject = {};
    for (const [k, v] of value.entries()) out[k] = toJson(v);
    return out;
  }
  if (value instanceof Y.Array) return value.toArray().map(toJson);
  return value as Json;
}

/** nbformat allows multi-line strings as a list of lines; the document holds one string. */
export function joinLines(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value ?? '');
}

/** nbformat's own way of writing a multi-line string: lines keeping their '\n', the last without. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}
