import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cellSource,
  cellsOf,
  deleteCell,
  insertCell,
  makeCell,
  moveCell,
  setCellType,
  splitCell,
} from './notebookModel';

function notebook(...sources: string[]) {
  const doc = new Y.Doc();
  cellsOf(doc).push(
    sources.map((s, i) =>
      makeCell('code', s, `c${i}`, {
        outputs: [{ output_type: 'stream', name: 'stdout', text: `out ${i}\n` }],
        execution_count: i + 1,
      }),
    ),
  );
  return doc;
}
const ids = (doc: Y.Doc) =>
  cellsOf(doc)
    .toArray()
    .map((c) => c.get('id'));

describe('cell operations on the notebook document', () => {
  it('moves a cell keeping its id, source, outputs and count, and changes nothing at the edges', () => {
    const doc = notebook('a', 'b', 'c');
    moveCell(doc, 'c0', 1);
    expect(ids(doc)).toEqual(['c1', 'c0', 'c2']);
    const moved = cellsOf(doc).get(1).toJSON();
    expect(moved).toMatchObject({
      id: 'c0',
      source: 'a',
      execution_count: 1,
      outputs: [{ text: 'out 0\n' }],
    });
    expect(cellsOf(doc).get(1).get('source')).toBeInstanceOf(Y.Text);
    moveCell(doc, 'c1', -1);
    moveCell(doc, 'c2', 1);
    expect(ids(doc)).toEqual(['c1', 'c0', 'c2']);
  });

  it('splits at the cursor into a new cell below of the same type', () => {
    const doc = notebook('first line\nsecond line');
    const fresh = splitCell(doc, 'c0', 'first line'.length);
    expect(cellSource(cellsOf(doc).get(0)).toString()).toBe('first line');
    expect(cellsOf(doc).get(1).toJSON()).toMatchObject({
      id: fresh,
      cell_type: 'code',
      source: 'second line',
    });
  });

  it('changes type in place: the source stays the same Y.Text, code-only fields come and go', () => {
    const doc = notebook('# title');
    const text = cellSource(cellsOf(doc).get(0));
    setCellType(doc, 'c0', 'markdown');
    const cell = cellsOf(doc).get(0);
    expect(cell.get('source')).toBe(text);
    expect(cell.has('outputs')).toBe(false);
    setCellType(doc, 'c0', 'code');
    expect(cell.get('outputs')).toBeInstanceOf(Y.Array);
    expect(cell.get('execution_count')).toBeNull();
  });

  it('inserts and deletes by id', () => {
    const doc = notebook('a');
    const fresh = insertCell(doc, 0, 'markdown', 'hi');
    expect(ids(doc)).toEqual([fresh, 'c0']);
    deleteCell(doc, fresh);
    deleteCell(doc, 'missing');
    expect(ids(doc)).toEqual(['c0']);
  });
});
