import * as Y from 'yjs';
import { notebookCells, outputToY } from './notebookDoc.js';

/** What a cell shows when the server stopped while it ran: the kernel, and its variables, are gone. */
export const KERNEL_LOST_OUTPUT = {
  output_type: 'error',
  ename: 'KernelLost',
  evalue: 'The server stopped while this cell was running: its kernel was lost. Run it again.',
  traceback: [
    'KernelLost: the server stopped while this cell was running; its kernel and variables are gone.',
  ],
};

/**
 * Marks cells a previous server process left `running` as interrupted, with an output saying the
 * kernel was lost. Called when a notebook's document is loaded into memory: a cell this process
 * runs keeps its document loaded (a hold) for the whole run, so any `running` found on load was
 * left by a process that died. One transaction, stored and relayed like any edit. Returns how many.
 */
export function markLostRuns(doc: Y.Doc, origin: unknown): number {
  const lost = notebookCells(doc)
    .toArray()
    .filter((cell) => cell.get('execution_state') === 'running');
  if (lost.length === 0) return 0;
  doc.transact(() => {
    for (const cell of lost) {
      cell.set('execution_state', 'idle');
      cell.set('execution_count', null);
      const outputs = cell.get('outputs');
      if (outputs instanceof Y.Array) outputs.push([outputToY(KERNEL_LOST_OUTPUT)]);
    }
  }, origin);
  return lost.length;
}
