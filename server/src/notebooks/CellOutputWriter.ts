import {
  type DisplayDataContent,
  type ExecuteReplyContent,
  type KernelMessage,
  OUTPUT_TRUNCATED_NOTICE,
  type StreamContent,
} from '@atrium/protocol';
import type * as Y from 'yjs';
import { collapseCarriageReturns } from './carriageReturns.js';
import { type JsonObject, notebookCells, outputToY } from './notebookDoc.js';

export interface OutputWriterOptions {
  /** Bytes of output one run may write into the cell before it is cut with a notice. */
  maxBytes?: number;
  /** Transaction origin, so the collaboration layer can tell server writes from client edits. */
  origin?: unknown;
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Writes one execution's kernel messages into a notebook cell as they arrive, so every collaborator
 * sees them live and they outlive the browser that asked. Each message is one transaction (one
 * update on the wire). A cell deleted meanwhile simply receives nothing more.
 */
export class CellOutputWriter {
  private readonly maxBytes: number;
  private readonly origin: unknown;
  private written = 0;
  private truncated = false;
  /** clear_output(wait=true) empties the cell only when the next output arrives (no flicker). */
  private clearPending = false;
  /** Outputs by display_id, for update_display_data. */
  private readonly displays = new Map<string, Y.Map<unknown>[]>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly cellId: string,
    options: OutputWriterOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.origin = options.origin ?? this;
  }

  private cell(): Y.Map<unknown> | undefined {
    return notebookCells(this.doc)
      .toArray()
      .find((c) => c.get('id') === this.cellId);
  }

  private transact(fn: (outputs: Y.Array<Y.Map<unknown>>, cell: Y.Map<unknown>) => void): void {
    const cell = this.cell();
    const outputs = cell?.get('outputs') as Y.Array<Y.Map<unknown>> | undefined;
    if (!cell || !outputs) return;
    this.doc.transact(() => fn(outputs, cell), this.origin);
  }

  /** Outputs cleared and the cell marked running in one transaction; records who ran it. */
  begin(runBy: string): boolean {
    let found = false;
    this.transact((outputs, cell) => {
      found = true;
      outputs.delete(0, outputs.length);
      cell.set('execution_state', 'running');
      cell.set('execution_count', null);
      const metadata = cell.get('metadata') as Y.Map<unknown>;
      metadata.set('atrium', { executed_by: runBy, executed_at: new Date().toISOString() });
    });
    return found;
  }

  /** Applies one IOPub message (stream, display_data, update_display_data, execute_result, error, clear_output). */
  handle(message: KernelMessage): void {
    switch (message.header.msg_type) {
      case 'stream':
        this.stream(message.content as StreamContent);
        return;
      case 'display_data':
      case 'execute_result':
      case 'error':
        this.push({ output_type: message.header.msg_type, ...(message.content as object) } as JsonObject);
        return;
      case 'update_display_data':
        this.updateDisplay(message.content as DisplayDataContent);
        return;
      case 'clear_output':
        if ((message.content as { wait?: boolean }).wait) this.clearPending = true;
        else this.transact((outputs) => outputs.delete(0, outputs.length));
        return;
      default:
    }
  }

  /** The run is over: execution_count set, the cell idle again. */
  end(reply: Pick<ExecuteReplyContent, 'execution_count' | 'status'>): void {
    this.transact((_outputs, cell) => {
      cell.set('execution_count', reply.status === 'aborted' ? null : reply.execution_count);
      cell.set('execution_state', 'idle');
    });
  }

  /** Counts bytes against the cap; past it, writes the notice once and refuses the rest. */
  private admit(bytes: number, outputs: Y.Array<Y.Map<unknown>>): boolean {
    if (this.truncated) return false;
    if (this.written + bytes <= this.maxBytes) {
      this.written += bytes;
      return true;
    }
    this.truncated = true;
    outputs.push([outputToY({ output_type: 'stream', name: 'stderr', text: OUTPUT_TRUNCATED_NOTICE })]);
    return false;
  }

  private flushPendingClear(outputs: Y.Array<Y.Map<unknown>>) {
    if (!this.clearPending) return;
    this.clearPending = false;
    outputs.delete(0, outputs.length);
  }

  private stream({ name, text }: StreamContent): void {
    this.transact((outputs) => {
      this.flushPendingClear(outputs);
      if (!this.admit(Buffer.byteLength(text), outputs)) return;
      const last = outputs.length > 0 ? outputs.get(outputs.length - 1) : undefined;
      // Consecutive output on the same stream merges into one output, as Jupyter shows it.
      if (last?.get('output_type') === 'stream' && last.get('name') === name) {
        const y = last.get('text') as Y.Text;
        const current = y.toString();
        const lineStart = current.lastIndexOf('\n') + 1;
        const openLine = current.slice(lineStart);
        if (text.includes('\r') || openLine.includes('\r')) {
          // A progress bar redrawn with \r: rewrite the open line rather than letting it grow.
          y.delete(lineStart, openLine.length);
          y.insert(lineStart, collapseCarriageReturns(openLine + text));
        } else y.insert(y.length, text);
      } else {
        outputs.push([outputToY({ output_type: 'stream', name, text: collapseCarriageReturns(text) })]);
      }
    });
  }

  private push({ transient, ...output }: JsonObject): void {
    // transient (the display_id) is not saved in notebooks: nbformat leaves it out of outputs.
    const displayId = (transient as { display_id?: string } | undefined)?.display_id;
    this.transact((outputs) => {
      this.flushPendingClear(outputs);
      if (!this.admit(JSON.stringify(output).length, outputs)) return;
      const y = outputToY(output);
      outputs.push([y]);
      if (displayId) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), y]);
    });
  }

  private updateDisplay({ data, metadata, transient }: DisplayDataContent): void {
    const targets = transient?.display_id ? this.displays.get(transient.display_id) : undefined;
    if (!targets) return;
    this.transact((outputs) => {
      if (!this.admit(JSON.stringify(data).length, outputs)) return;
      for (const y of targets) {
        y.set('data', data as JsonObject);
        y.set('metadata', metadata as JsonObject);
      }
    });
  }
}
