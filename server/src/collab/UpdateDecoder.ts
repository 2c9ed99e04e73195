import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { collabLimits } from './limits.js';

/** Outcome of checking one untrusted update. */
export type DecodeVerdict = { ok: true; empty: boolean } | { ok: false; reason: string };

interface Task {
  id: number;
  update: Uint8Array;
  resolve: (v: DecodeVerdict) => void;
}

// An update with no structs and an empty delete set, in the V1 encoding.
const isEmptyUpdate = (u: Uint8Array) => u.length === 2 && u[0] === 0 && u[1] === 0;

/**
 * Decodes untrusted Yjs updates in a worker thread with a time and memory budget. One task runs
 * at a time; when it overruns, the worker is terminated and replaced, and only that update fails.
 */
export class UpdateDecoder {
  private worker: Worker | null = null;
  private queue: Task[] = [];
  private current: Task | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;
  /** Workers killed for overrunning their budget (spins, memory), for health and tests. */
  restarts = 0;

  constructor(
    private readonly workerUrl: URL,
    private readonly log: Logger,
  ) {}

  /** Resolves to a verdict; never rejects. */
  check(update: Uint8Array): Promise<DecodeVerdict> {
    if (isEmptyUpdate(update)) return Promise.resolve({ ok: true, empty: true });
    if (this.closed) return Promise.resolve({ ok: false, reason: 'server is shutting down' });
    return new Promise((resolve) => {
      // A copy that owns its buffer can be transferred, and frees the socket's frame early.
      const copy = new Uint8Array(update);
      this.queue.push({ id: this.nextId++, update: copy, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ ok: false, reason: 'server is shutting down' });
    this.finish({ ok: false, reason: 'server is shutting down' });
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl, {
      resourceLimits: {
        maxOldGenerationSizeMb: collabLimits.decodeWorkerHeapMb,
        maxYoungGenerationSizeMb: 32,
        stackSizeMb: 4,
      },
    });
    worker.unref();
    worker.on(
      'message',
      (msg: { id: number; ok: boolean; structs?: number; deletes?: number; error?: string }) => {
        if (!this.current || msg.id !== this.current.id) return;
        this.finish(
          msg.ok
            ? { ok: true, empty: msg.structs === 0 && msg.deletes === 0 }
            : { ok: false, reason: `malformed update: ${msg.error}` },
        );
      },
    );
    worker.on('error', (err) => {
      // Out of memory or a crash in the decoder: that update fails, a fresh worker takes over.
      this.log.warn({ err }, 'update decoder worker failed');
      if (this.worker === worker) this.worker = null;
      this.restarts++;
      this.finish({ ok: false, reason: 'update exceeded the decoding memory budget' });
    });
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = null;
        this.finish({ ok: false, reason: 'update decoder stopped' });
      }
    });
    this.worker = worker;
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const task = this.queue.shift();
    if (!task) return;
    this.current = task;
    const budget =
      collabLimits.decodeBaseMs + (task.update.length / (1024 * 1024)) * collabLimits.decodeMsPerMiB;
    this.timer = setTimeout(() => this.overrun(), budget);
    this.ensureWorker().postMessage({ id: task.id, update: task.update }, [
      task.update.buffer as ArrayBuffer,
    ]);
  }

  private overrun(): void {
    const w = this.worker;
    this.worker = null;
    this.restarts++;
    this.log.warn('update decoding overran its time budget; worker replaced');
    if (w) void w.terminate();
    this.finish({ ok: false, reason: 'update exceeded the decoding time budget' });
  }

  private finish(verdict: DecodeVerdict): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const task = this.current;
    this.current = null;
    if (task) task.resolve(verdict);
    setImmediate(() => this.pump());
  }
}
