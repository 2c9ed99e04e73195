import {
  type CompleteReplyContent,
  type CompleteRequestContent,
  type ExecuteReplyContent,
  type InspectReplyContent,
  type InspectRequestContent,
  KERNEL_PRESENCE_FIELD,
  type KernelLanguage,
  kernelImageOf,
  type NotebookKernelStatus,
  notebookLanguage,
} from '@atrium/protocol';
import type * as Y from 'yjs';
import type { CollabServer, DocumentHold } from '../collab/CollabServer.js';
import type { DocumentRef } from '../collab/documentName.js';
import type { Logger } from '../logger.js';
import { notebookModels } from '../models/declaredModels.js';
import type { KernelManager } from '../runtime/KernelManager.js';
import { CellOutputWriter } from './CellOutputWriter.js';
import { notebookCells, notebookMeta } from './notebookDoc.js';

export interface NotebookSessionDeps {
  collab: CollabServer;
  kernels: KernelManager;
  log: Logger;
  /** Byte cap of one run's outputs in the document. */
  outputMaxBytes?: number;
  /** Makes the notebook's declared models (metadata `atrium.models`) available to its kernel's sandbox. */
  provideModels?: (kernelId: string, ids: string[]) => Promise<unknown>;
  /** Whether the notebook's repository still exists (renamed or deleted: the session ends). */
  exists?: () => Promise<boolean>;
}

/** Whoever asked for a run holds it while its cells wait or run. */
export interface RunRequest {
  /** Aborted when the person who asked loses write access: their cells leave the queue, a running one is interrupted. */
  signal?: AbortSignal;
  /** Called once every cell of the request has run or been dropped. */
  settled?: () => void;
}

/** One run request's cells still waiting or running. */
interface PendingRequest extends RunRequest {
  left: number;
}

interface QueuedRun {
  cellId: string;
  runBy: string;
  request: PendingRequest;
}

/**
 * One notebook's shared kernel and its execution queue. Whoever asks, cells run one at a time, in
 * the order asked, in the same kernel; outputs are written into the live document as they stream.
 * The document stays loaded (a hold) while the kernel lives, so the kernel's state, published as the
 * server's own presence in the room, reaches everyone who opens the notebook.
 */
export class NotebookSession {
  readonly status: NotebookKernelStatus = {
    state: 'none',
    reason: null,
    running: null,
    queued: [],
    runBy: null,
  };
  private readonly queue: QueuedRun[] = [];
  /** The run in the kernel now. */
  private current: QueuedRun | null = null;
  /** The current run was interrupted because its requester lost access: the rest of the queue goes on. */
  private currentRevoked = false;
  private kernelId: string | null = null;
  private hold: DocumentHold | null = null;
  private starting: Promise<string> | null = null;
  /** The kernel the declared models were last provided for (once per kernel, not per cell). */
  private modelsWarmedFor: string | null = null;
  private draining = false;
  /** Bumped by interrupt/restart: a run started before it does not continue the old queue. */
  private generation = 0;
  private watch: NodeJS.Timeout | null = null;
  closed = false;

  constructor(
    readonly ref: DocumentRef,
    /** Account the kernel is started for (the notebook's owner: one kernel per notebook). */
    private readonly owner: string,
    private readonly deps: NotebookSessionDeps,
  ) {}

  /** Queues cells (by id) to run; unknown ids and non-code cells are skipped when their turn comes. */
  async run(cellIds: string[], runBy: string, asked: RunRequest = {}): Promise<NotebookKernelStatus> {
    const doc = await this.document();
    const request: PendingRequest = { ...asked, left: cellIds.length };
    if (request.left === 0) request.settled?.();
    for (const cellId of cellIds) this.queue.push({ cellId, runBy, request });
    if (asked.signal?.aborted) void this.revoke(request);
    else asked.signal?.addEventListener('abort', () => void this.revoke(request), { once: true });
    this.status.queued = this.queue.map((q) => q.cellId);
    this.publish();
    this.drain(doc).catch((err) =>
      this.deps.log.error({ err, notebook: this.ref.name }, 'running cells failed'),
    );
    return { ...this.status };
  }

  /** Every code cell, top to bottom. */
  async runAll(runBy: string, asked: RunRequest = {}): Promise<NotebookKernelStatus> {
    const doc = await this.document();
    const ids = notebookCells(doc)
      .toArray()
      .filter((c) => c.get('cell_type') === 'code')
      .map((c) => String(c.get('id')));
    return this.run(ids, runBy, asked);
  }

  /** Completions from the notebook's live kernel; with none running there is nothing to ask. */
  async complete(request: CompleteRequestContent): Promise<CompleteReplyContent> {
    const id = this.liveKernel();
    if (!id)
      return { status: 'ok', matches: [], cursor_start: request.cursor_pos, cursor_end: request.cursor_pos };
    return this.deps.kernels.complete(id, request);
  }

  /** Help for the name at the cursor, from the live kernel. */
  async inspect(request: InspectRequestContent): Promise<InspectReplyContent> {
    const id = this.liveKernel();
    if (!id) return { status: 'ok', found: false, data: {} };
    return this.deps.kernels.inspect(id, request);
  }

  private liveKernel(): string | null {
    const id = this.kernelId;
    return id && this.deps.kernels.list().some((k) => k.id === id && k.session.state !== 'dead') ? id : null;
  }

  /** Stops the running cell and drops the queued ones, as Jupyter does. */
  async interrupt(): Promise<NotebookKernelStatus> {
    this.generation++;
    this.dropQueue();
    this.publish();
    if (this.kernelId && this.status.state === 'busy') await this.deps.kernels.interrupt(this.kernelId);
    return { ...this.status };
  }

  /** A fresh kernel state: the queue dropped, variables gone; a dead kernel is replaced. */
  async restart(): Promise<NotebookKernelStatus> {
    const doc = await this.document();
    const language = notebookLanguage(notebookMeta(doc).get('metadata'));
    this.generation++;
    this.dropQueue();
    const id = this.kernelId;
    this.set({ state: 'starting', reason: null });
    try {
      const live = this.deps.kernels
        .list()
        .find((k) => k.id === id && k.session.state !== 'dead' && k.image === kernelImageOf(language));
      if (live) {
        await this.deps.kernels.restart(live.id);
      } else {
        // Dead, or the notebook now asks for the other language: a new kernel replaces it.
        if (id) await this.deps.kernels.shutdown(id).catch(() => {});
        this.kernelId = null;
        await this.kernel(language);
      }
      this.set({ state: 'idle' });
    } catch (err) {
      this.set({ state: 'dead', reason: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    return { ...this.status };
  }

  /** Drops the document hold and the kernel (server shutdown, notebook deleted). */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    this.dropQueue();
    if (this.watch) clearInterval(this.watch);
    const id = this.kernelId;
    this.kernelId = null;
    if (id) await this.deps.kernels.shutdown(id).catch(() => {});
    this.releaseHold();
  }

  private async document(): Promise<Y.Doc> {
    if (!this.hold) {
      this.hold = await this.deps.collab.hold(this.ref);
      this.publish();
      // The kernel may be culled for idleness or die; then the document need not stay loaded.
      this.watch ??= setInterval(
        () =>
          void this.check().catch((err) =>
            this.deps.log.error({ err, notebook: this.ref.name }, 'checking the kernel failed'),
          ),
        10_000,
      );
      this.watch.unref();
    }
    return this.hold.doc;
  }

  private releaseHold(): void {
    this.hold?.release();
    this.hold = null;
  }

  private async check(): Promise<void> {
    // The repository was renamed or deleted: its kernel and document hold go now, not at the idle cull.
    if (this.deps.exists && !(await this.deps.exists().catch(() => true))) {
      await this.close();
      return;
    }
    this.checkKernel();
  }

  private checkKernel(): void {
    if (this.draining || this.starting) return;
    const kernel = this.kernelId ? this.deps.kernels.list().find((k) => k.id === this.kernelId) : undefined;
    // Died in between runs (out of memory, container gone): everyone sees it without running anything.
    if (kernel?.session.state === 'dead' && this.status.state !== 'dead') {
      this.set({ state: 'dead', reason: kernel.session.reason });
      return;
    }
    if (!kernel && this.status.state !== 'dead') {
      this.kernelId = null;
      this.set({ state: 'none' });
      if (this.watch) clearInterval(this.watch);
      this.watch = null;
      this.releaseHold();
    }
  }

  /**
   * The notebook's kernel for its language, started on first use (from the warm pool when there is
   * one); a notebook switched to the other runner (Python ↔ TypeScript) gets a new kernel.
   */
  private kernel(language: KernelLanguage): Promise<string> {
    const current = this.kernelId ? this.deps.kernels.list().find((k) => k.id === this.kernelId) : undefined;
    if (current && current.session.state !== 'dead' && current.image === kernelImageOf(language))
      return Promise.resolve(current.id);
    this.starting ??= (async () => {
      this.set({ state: 'starting', reason: null });
      try {
        const k = await this.deps.kernels.start(this.owner, { key: this.ref.name, language });
        this.kernelId = k.id;
        this.set({ state: 'idle' });
        return k.id;
      } catch (err) {
        this.set({ state: 'dead', reason: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  private async drain(doc: Y.Doc): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const next = this.queue.shift() as QueuedRun;
        this.status.queued = this.queue.map((q) => q.cellId);
        this.current = next;
        this.currentRevoked = false;
        const ok = await this.runOne(doc, next).finally(() => {
          this.current = null;
          this.settle(next);
        });
        // An error stops the rest of a run-all, as in Jupyter (not a run stopped because its requester lost access).
        if (!ok && !this.currentRevoked) this.dropQueue();
      }
    } finally {
      this.draining = false;
      this.set({ running: null, runBy: null });
    }
  }

  /** Runs one cell; false when it failed (error, interrupt, dead kernel). */
  private async runOne(doc: Y.Doc, { cellId, runBy, request }: QueuedRun): Promise<boolean> {
    const cell = notebookCells(doc)
      .toArray()
      .find((c) => c.get('id') === cellId);
    if (cell?.get('cell_type') !== 'code') return true;
    const code = String(cell.get('source') ?? '');
    const generation = this.generation;
    const writer = new CellOutputWriter(doc, cellId, { origin: this, maxBytes: this.deps.outputMaxBytes });
    writer.begin(runBy);
    this.set({ running: cellId, runBy });
    let reply: Pick<ExecuteReplyContent, 'status' | 'execution_count'> = {
      status: 'aborted',
      execution_count: 0,
    };
    try {
      const language = notebookLanguage(notebookMeta(doc).get('metadata'));
      const kernelId = await this.kernel(language);
      // Declared models are cached in the background, once per kernel: a cell that needs one before it is
      // ready, or one declared later, asks for it at run time and shows the fetch (models/README.md).
      if (this.modelsWarmedFor !== kernelId) {
        this.modelsWarmedFor = kernelId;
        this.deps
          .provideModels?.(kernelId, notebookModels(notebookMeta(doc).get('metadata')))
          .catch((err) =>
            this.deps.log.warn({ err, notebook: this.ref.name }, 'declared models not provided'),
          );
      }
      // Access may have gone while the kernel started (revoke interrupts only a busy kernel).
      if (request.signal?.aborted) throw new Error('not run: whoever asked may no longer run this notebook');
      this.set({ state: 'busy' });
      reply = await this.deps.kernels.execute(kernelId, { code, language }, (msg) => writer.handle(msg));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      writer.handle({
        header: {
          msg_id: '',
          msg_type: 'error',
          session: '',
          username: '',
          date: new Date().toISOString(),
          version: '5.3',
        },
        parent_header: {},
        metadata: {},
        content: { ename: 'KernelError', evalue: message, traceback: [`KernelError: ${message}`] },
      });
    } finally {
      writer.end(reply);
      const k = this.kernelId ? this.deps.kernels.list().find((x) => x.id === this.kernelId) : undefined;
      if (k?.session.state === 'dead') this.set({ state: 'dead', reason: k.session.reason });
      else if (this.status.state === 'busy') this.set({ state: 'idle' });
    }
    return reply.status === 'ok' && generation === this.generation;
  }

  /** The requester lost write access: their waiting cells leave the queue and their running cell is interrupted. */
  private async revoke(request: PendingRequest): Promise<void> {
    const theirs = this.queue.filter((q) => q.request === request);
    if (theirs.length > 0) {
      this.queue.splice(0, this.queue.length, ...this.queue.filter((q) => q.request !== request));
      for (const q of theirs) this.settle(q);
      this.status.queued = this.queue.map((q) => q.cellId);
      this.publish();
    }
    if (this.current?.request !== request) return;
    this.currentRevoked = true;
    if (this.kernelId && this.status.state === 'busy')
      await this.deps.kernels.interrupt(this.kernelId).catch(() => {});
  }

  private dropQueue(): void {
    for (const q of this.queue.splice(0)) this.settle(q);
    this.status.queued = [];
  }

  private settle(run: QueuedRun): void {
    run.request.left--;
    if (run.request.left === 0) run.request.settled?.();
  }

  private set(patch: Partial<NotebookKernelStatus>): void {
    Object.assign(this.status, patch);
    this.publish();
  }

  /** The kernel's state as the server's presence in the room: every viewer sees it, none can forge it. */
  private publish(): void {
    if (!this.hold) return;
    const room = this.deps.collab.rooms.get(this.ref.name);
    room?.awareness.setLocalState({
      [KERNEL_PRESENCE_FIELD]: { ...this.status, queued: [...this.status.queued] },
    });
  }
}
