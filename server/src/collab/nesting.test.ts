import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate } from './inspectUpdate.js';
import { collabLimits } from './limits.js';
import { NestingTooDeep, nestingProblem } from './nesting.js';

const MAX = collabLimits.maxNestingDepth;

/** The update a change makes to a copy of `base`, and the copy. */
function editOf(base: Y.Doc, change: (doc: Y.Doc) => void): { update: Uint8Array; doc: Y.Doc } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  return { update: Y.encodeStateAsUpdate(doc, before), doc };
}

/** Nests `levels` Y.Maps under `map.key`. */
function nestMaps(map: Y.Map<unknown>, levels: number): Y.Map<unknown> {
  let m = new Y.Map<unknown>();
  map.set('x', m);
  for (let i = 1; i < levels; i++) {
    const next = new Y.Map<unknown>();
    m.set('x', next);
    m = next;
  }
  return m;
}

/** A ContentAny value of `levels` nested arrays, written byte by byte (lib0 itself would overflow encoding it). */
function deepJsonUpdate(levels: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set('v', [[7]]);
  const update = Y.encodeStateAsUpdate(doc);
  // writeAny: 117 = array, then its length; 125 = integer.
  const marker = [117, 1, 117, 1, 125, 7];
  const at = update.findIndex((_, i) => marker.every((b, j) => update[i + j] === b));
  const deep = new Uint8Array(update.length - marker.length + levels * 2 + 2);
  deep.set(update.subarray(0, at));
  let p = at;
  for (let i = 0; i < levels; i++) {
    deep[p++] = 117;
    deep[p++] = 1;
  }
  deep[p++] = 125;
  deep[p++] = 7;
  deep.set(update.subarray(at + marker.length), p);
  return deep;
}

describe('nesting of updates', () => {
  it('measures an honest notebook edit as a few levels deep', () => {
    const { update } = editOf(new Y.Doc(), (doc) => {
      const cell = new Y.Map<unknown>();
      doc.getArray('cells').push([cell]);
      const outputs = new Y.Array<unknown>();
      cell.set('outputs', outputs);
      const out = new Y.Map<unknown>();
      outputs.push([out]);
      out.set('data', { 'application/json': { a: [1, { b: 2 }] } });
    });
    const { nesting } = inspectUpdate(update);
    expect(nesting.depth).toBe(8);
    expect(nesting.anchored).toEqual([]);
  });

  it('refuses 20,000 nested maps while decoding, without overflowing the stack', () => {
    const { update } = editOf(new Y.Doc(), (doc) => nestMaps(doc.getMap('meta'), 20_000));
    expect(() => inspectUpdate(update)).toThrow(NestingTooDeep);
  });

  it('refuses a JSON value nested 20,000 deep', () => {
    expect(inspectUpdate(deepJsonUpdate(10)).nesting.depth).toBe(11);
    expect(() => inspectUpdate(deepJsonUpdate(20_000))).toThrow(NestingTooDeep);
  });

  it('adds the depth of the item an update hangs from in the document', () => {
    const base = new Y.Doc();
    const deepest = nestMaps(base.getMap('meta'), MAX - 5);
    const ok = editOf(base, (doc) => {
      let m = doc.getMap('meta');
      for (let i = 0; i < MAX - 5; i++) m = m.get('x') as Y.Map<unknown>;
      nestMaps(m, 3);
    });
    const { nesting } = inspectUpdate(ok.update);
    expect(nesting.anchored.length).toBe(1);
    expect(nestingProblem(base, nesting, MAX)).toBeNull();
    const tooDeep = editOf(base, (doc) => {
      let m = doc.getMap('meta');
      for (let i = 0; i < MAX - 5; i++) m = m.get('x') as Y.Map<unknown>;
      nestMaps(m, 10);
    });
    expect(nestingProblem(base, inspectUpdate(tooDeep.update).nesting, MAX)).toMatch(/levels deep/);
    expect(deepest).toBeInstanceOf(Y.Map);
  });

  it('counts a neighbour inserted next to a deep item at that item’s depth', () => {
    const base = new Y.Doc();
    const list = new Y.Array<unknown>();
    nestMaps(base.getMap('meta'), MAX - 2).set('list', list);
    list.push([1]);
    const edit = editOf(base, (doc) => {
      let m = doc.getMap('meta');
      for (let i = 0; i < MAX - 2; i++) m = m.get('x') as Y.Map<unknown>;
      (m.get('list') as Y.Array<unknown>).push([{ a: { b: { c: 1 } } }]);
    });
    const { nesting } = inspectUpdate(edit.update);
    expect(nesting.anchored[0]?.[3]).toBe(false);
    expect(nestingProblem(base, nesting, MAX)).toMatch(/levels deep/);
  });

  it('refuses shared types hung from an item the document does not have yet, but not plain values', () => {
    const base = new Y.Doc();
    const first = editOf(base, (doc) => doc.getMap('meta').set('a', new Y.Map()));
    const nested = editOf(first.doc, (doc) =>
      (doc.getMap('meta').get('a') as Y.Map<unknown>).set('b', new Y.Map()),
    );
    const plain = editOf(first.doc, (doc) => (doc.getMap('meta').get('a') as Y.Map<unknown>).set('b', 1));
    // `base` has not seen `first`, so both later updates hang from a missing item.
    expect(nestingProblem(base, inspectUpdate(nested.update).nesting, MAX)).toMatch(/does not have yet/);
    expect(nestingProblem(base, inspectUpdate(plain.update).nesting, MAX)).toBeNull();
  });
});
