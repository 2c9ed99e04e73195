import { describe, expect, it } from 'vitest';
import { BLANK_NOTEBOOK } from './blankNotebook.js';
import { exportIpynb, ydocFromIpynb } from './ipynb.js';
import { markLostRuns } from './lostRuns.js';
import { notebookCells } from './notebookDoc.js';

describe('runs lost with their server', () => {
  it('marks only running cells idle, clears their count and says the kernel was lost', () => {
    const doc = ydocFromIpynb({
      ...BLANK_NOTEBOOK,
      cells: [BLANK_NOTEBOOK.cells[0]!, BLANK_NOTEBOOK.cells[0]!],
    });
    const [running, idle] = notebookCells(doc).toArray();
    running?.set('execution_state', 'running');
    idle?.set('execution_count', 3);
    const updates: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => updates.push(origin));

    expect(markLostRuns(doc, 'recovery')).toBe(1);
    expect(updates).toEqual(['recovery']);
    const [lost, untouched] = exportIpynb(doc).cells;
    expect(lost).toMatchObject({
      execution_count: null,
      outputs: [{ output_type: 'error', ename: 'KernelLost' }],
    });
    expect(untouched).toMatchObject({ execution_count: 3, outputs: [] });
    expect(running?.get('execution_state')).toBe('idle');
    expect(markLostRuns(doc, 'recovery')).toBe(0);
  });
});
