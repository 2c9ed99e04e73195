import { describe, expect, it } from 'vitest';
import { type DiffEdit, diffValue } from './valueDiff.js';

/** Applies edits the way @gradio/client's apply_diff does (append/replace/add/delete by path). */
function apply(target: unknown, edits: DiffEdit[]): unknown {
  let root = structuredClone(target);
  for (const [action, path, value] of edits) {
    if (path.length === 0) {
      root = action === 'append' ? `${root as string}${value as string}` : value;
      continue;
    }
    let current = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) current = current[key] as Record<string | number, unknown>;
    const last = path.at(-1) as string | number;
    if (action === 'replace') current[last] = value;
    else if (action === 'append') current[last] = `${current[last] as string}${value as string}`;
    else if (action === 'add') {
      if (Array.isArray(current)) current.splice(Number(last), 0, value);
      else current[last] = value;
    } else if (Array.isArray(current)) current.splice(Number(last), 1);
    else delete current[last];
  }
  return root;
}

describe('diffValue', () => {
  it('sends only the new tokens of growing text', () => {
    expect(diffValue('Once upon', 'Once upon a time')).toEqual([['append', [], ' a time']]);
    expect(diffValue('abc', 'xyz')).toEqual([['replace', [], 'xyz']]);
    expect(diffValue('same', 'same')).toEqual([]);
  });

  it('edits a chat history in place: the last reply grows, new messages are added', () => {
    const prev = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'He' },
    ];
    const next = [
      ...prev.slice(0, 1),
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'more' },
    ];
    const edits = diffValue(prev, next);
    expect(edits).toEqual([
      ['append', [1, 'content'], 'llo'],
      ['add', [2], { role: 'user', content: 'more' }],
    ]);
    expect(apply(prev, edits)).toEqual(next);
  });

  it('rebuilds any JSON change: removed keys and shorter arrays', () => {
    const cases: [unknown, unknown][] = [
      [
        { a: 1, b: [1, 2, 3] },
        { a: 2, b: [1] },
      ],
      [{ label: 'x', confidences: [{ label: 'x', confidence: 0.5 }] }, { label: 'y' }],
      [null, { a: 1 }],
      [[1, 2], 'text'],
    ];
    for (const [prev, next] of cases) expect(apply(prev, diffValue(prev, next))).toEqual(next);
  });
});
