import { type KernelMessage, type KernelMessageType, OUTPUT_TRUNCATED_NOTICE } from '@atrium/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CellOutputWriter } from './CellOutputWriter.js';
import { exportIpynb, ydocFromIpynb } from './ipynb.js';
import { notebookCells } from './notebookDoc.js';

const msg = <T extends KernelMessageType>(type: T, content: unknown) =>
  ({
    header: {
      msg_id: crypto.randomUUID(),
      msg_type: type,
      session: 's',
      username: 'u',
      date: '',
      version: '5.3',
    },
    parent_header: {},
    metadata: {},
    content,
  }) as KernelMessage;

function notebook() {
  return ydocFromIpynb({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        cell_type: 'code',
        id: 'c1',
        metadata: {},
        source: 'print()',
        execution_count: 4,
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }],
      },
    ],
  });
}
const cell = (doc: Y.Doc) => notebookCells(doc).get(0);
const outputs = (doc: Y.Doc) => exportIpynb(doc).cells[0]!.outputs as Record<string, unknown>[];

describe('CellOutputWriter', () => {
  it('clears old outputs and marks the cell running in a single transaction, recording who ran it', () => {
    const doc = notebook();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const writer = new CellOutputWriter(doc, 'c1');
    expect(writer.begin('alice')).toBe(true);
    expect(transactions).toBe(1);
    expect(outputs(doc)).toEqual([]);
    expect(cell(doc).get('execution_state')).toBe('running');
    expect((cell(doc).get('metadata') as Y.Map<unknown>).get('atrium')).toMatchObject({
      executed_by: 'alice',
    });
  });

  it('merges consecutive output on the same stream and sets execution_count at the end', () => {
    const doc = notebook();
    const writer = new CellOutputWriter(doc, 'c1');
    writer.begin('alice');
    writer.handle(msg('stream', { name: 'stdout', text: 'a\n' }));
    writer.handle(msg('stream', { name: 'stdout', text: 'b\n' }));
    writer.handle(msg('stream', { name: 'stderr', text: 'warn\n' }));
    writer.handle(msg('stream', { name: 'stdout', text: 'c\n' }));
    expect(cell(doc).get('execution_count')).toBeNull();
    writer.end({ status: 'ok', execution_count: 7 });
    expect(outputs(doc)).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] },
      { output_type: 'stream', name: 'stderr', text: ['warn\n'] },
      { output_type: 'stream', name: 'stdout', text: ['c\n'] },
    ]);
    expect(cell(doc).get('execution_count')).toBe(7);
    expect(cell(doc).get('execution_state')).toBe('idle');
  });

  it('replaces a display in place on update_display_data and does not save transient ids', () => {
    const doc = notebook();
    const writer = new CellOutputWriter(doc, 'c1');
    writer.begin('bob');
    writer.handle(
      msg('display_data', { data: { 'text/plain': '0%' }, metadata: {}, transient: { display_id: 'p' } }),
    );
    writer.handle(
      msg('update_display_data', {
        data: { 'text/plain': '100%' },
        metadata: {},
        transient: { display_id: 'p' },
      }),
    );
    writer.handle(msg('execute_result', { data: { 'text/plain': '2' }, metadata: {}, execution_count: 1 }));
    writer.handle(msg('error', { ename: 'Error', evalue: 'boom', traceback: ['Error: boom'] }));
    expect(outputs(doc)).toEqual([
      { output_type: 'display_data', data: { 'text/plain': '100%' }, metadata: {} },
      { output_type: 'execute_result', data: { 'text/plain': '2' }, metadata: {}, execution_count: 1 },
      { output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['Error: boom'] },
    ]);
  });

  it('clears at once, or with wait=true only when the next output arrives', () => {
    const doc = notebook();
    const writer = new CellOutputWriter(doc, 'c1');
    writer.begin('bob');
    writer.handle(msg('stream', { name: 'stdout', text: 'frame 1' }));
    writer.handle(msg('clear_output', { wait: true }));
    expect(outputs(doc)).toHaveLength(1);
    writer.handle(msg('stream', { name: 'stdout', text: 'frame 2' }));
    expect(outputs(doc)).toEqual([{ output_type: 'stream', name: 'stdout', text: ['frame 2'] }]);
    writer.handle(msg('clear_output', { wait: false }));
    expect(outputs(doc)).toEqual([]);
  });

  it('cuts output past its cap with one clear notice', () => {
    const doc = notebook();
    const writer = new CellOutputWriter(doc, 'c1', { maxBytes: 100 });
    writer.begin('bob');
    for (let i = 0; i < 50; i++) writer.handle(msg('stream', { name: 'stdout', text: '0123456789' }));
    const out = outputs(doc);
    expect((out[0]!.text as string[]).join('')).toBe('0123456789'.repeat(10));
    expect(out[1]).toEqual({
      output_type: 'stream',
      name: 'stderr',
      text: OUTPUT_TRUNCATED_NOTICE.split(/(?<=\n)/),
    });
    expect(out).toHaveLength(2);
  });

  it('writes nothing once the cell has been deleted by a collaborator', () => {
    const doc = notebook();
    const writer = new CellOutputWriter(doc, 'c1');
    writer.begin('bob');
    notebookCells(doc).delete(0, 1);
    expect(() => writer.handle(msg('stream', { name: 'stdout', text: 'late' }))).not.toThrow();
    expect(notebookCells(doc).length).toBe(0);
  });

  it('reaches a second replica as ordinary Yjs updates', () => {
    const doc = notebook();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    doc.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update));
    const writer = new CellOutputWriter(doc, 'c1');
    writer.begin('alice');
    writer.handle(msg('stream', { name: 'stdout', text: 'live\n' }));
    expect(outputs(replica)).toEqual([{ output_type: 'stream', name: 'stdout', text: ['live\n'] }]);
  });
});
