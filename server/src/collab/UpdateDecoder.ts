import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { inspectUpdate } from './inspectUpdate.js';
import { collabLimits } from './limits.js';
import { type NestingReport, NestingTooDeep } from './nesting.js';
import { threadCpuMs } from './threadCpu.js';

/** Outcome of checking one untrusted update; `tooDeep` when it was refused for its nesting. */
export type DecodeVerdict =
  | { ok: true; empty: boolean; nesting: NestingReport }
  | { ok: false; reason: string; tooDeep?: boolean };

/** An inline decode that overran its watchdog without the CPU to have spun: the worker decides. */
const STARVED = Symbol('starved');

const NO_NESTING: NestingReport = { depth: 0, anchored: [] };

interface Task {
  id: number;
  update: Uint8Array;
  resolve: (v: DecodeVerdict) => void;
}

// An update with no structs and an empty delete set, in the V1 encoding.
const isEmptyUpdate = (u: Uint8Array) => u.length === 2 && u[0] === 0 && u[1] === 0;

/**
 * Decodes untrusted Yjs updates within a time and memory budget before anything applies them.
 * Small updates (keystrokes, up to `inlineMaxBytes`) are decoded on the event loop under V8's
 * script watchdog (vm `timeout`), which terminates a decoder that spins; V1 decoding allocates in
 * proportion to its input, so their memory is bounded by their size. Larger updates go to a worker
 * thread with `resourceLimits` and a budget of its CPU time; one task runs at a time, and when it
 * overruns the worker is terminated and replaced. Either way only that update fails. Budgets count
 * CPU rather than the clock where the thread's CPU time can be read (threadCpu.ts): on a loaded
 * machine an honest writer's update must not fail because the decoder waited for a core.
 */
export class UpdateDecoder {
  private worker: Worker | null = null;
  private queue: Task[] = [];
  private current: Task | null = null;
  /** Bytes of the current task (its buffer was transferred to the worker). */
  private currentSize = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The current worker has loaded its module; until then a task waits without spending its budget. */
  private workerReady = false;
  /** The current worker's thread id (null where /proc cannot tell its CPU time: wall time then). */
  private workerTid: number | null = null;
  /** The current task's budget: its CPU allowance, the worker's CPU at its start, and a wall deadline. */
  private budget: { cpuMs: number; cpuAtStart: number | null; wallDeadline: number } | null = null;
  private nextId = 1;
  private closed = false;
  /** Workers killed for overrunning their budget (spins, memory), for health and tests. */
  restarts = 0;

  /** Updates decoded inline vs in the worker, for tests and health. */
  inlineChecks = 0;
  workerChecks = 0;
  private readonly inlineContext = vm.createContext({ inspect: inspectUpdate, update: new Uint8Array(0) });
  private readonly inlineScript = new vm.Script('inspect(update)');

  constructor(
    private readonly workerUrl: URL,
    private readonly log: Logger,
    private readonly inlineMaxBytes: number = collabLimits.inlineDecodeMaxBytes,
  ) {}

  /** Resolves to a verdict; never rejects. */
  check(update: Uint8Array): Promise<DecodeVerdict> {
    if (isEmptyUpdate(update)) return Promise.resolve({ ok: true, empty: true, nesting: NO_NESTING });
    if (this.closed) return Promise.resolve({ ok: false, reason: 'server is shutting down' });
    if (update.length <= this.inlineMaxBytes) {
      const verdict = this.checkInline(update);
      if (verdict !== STARVED) return Promise.resolve(verdict);
    }
    this.workerChecks++;
    return new Promise((resolve) => {
      // A copy that owns its buffer can be transferred, and frees the socket's frame early.
      const copy = new Uint8Array(update);
      this.queue.push({ id: this.nextId++, update: copy, resolve });
      this.pump();
    });
  }

  private checkInline(update: Uint8Array): DecodeVerdict | typeof STARVED {
    this.inlineChecks++;
    this.inlineContext.update = update;
    // The process's CPU (one getrusage, no file read on this per-keystroke path) bounds the event
    // loop's from above: under half the watchdog's time means the loop cannot have spun through it.
    const cpuBefore = process.cpuUsage();
    try {
      const { structs, deletes, nesting } = this.inlineScript.runInContext(this.inlineContext, {
        timeout: collabLimits.inlineDecodeMs,
      }) as ReturnType<typeof inspectUpdate>;
      return { ok: true, empty: structs === 0 && deletes === 0, nesting };
    } catch (err) {
      if (err instanceof NestingTooDeep) return { ok: false, reason: err.message, tooDeep: true };
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        const used = process.cpuUsage(cpuBefore);
        if ((used.user + used.system) / 1000 < collabLimits.inlineDecodeMs / 2) {
          this.log.info('inline update decoding was starved of CPU; the worker decodes it');
          return STARVED;
        }
        this.log.warn('inline update decoding overran its time budget');
        return { ok: false, reason: 'update exceeded the decoding time budget' };
      }
      return { ok: false, reason: `malformed update: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      this.inlineContext.update = new Uint8Array(0);
    }
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
      (msg: {
        ready?: true;
        tid?: number | null;
        id: number;
        ok: boolean;
        structs?: number;
        deletes?: number;
        nesting?: NestingReport;
        error?: string;
        deep?: boolean;
      }) => {
        if (msg.ready) {
          if (this.worker !== worker) return;
          this.workerReady = true;
          this.workerTid = typeof msg.tid === 'number' ? msg.tid : null;
          this.startBudget();
          return;
        }
        if (!this.current || msg.id !== this.current.id) return;
        this.finish(
          msg.ok
            ? { ok: true, empty: msg.structs === 0 && msg.deletes === 0, nesting: msg.nesting ?? NO_NESTING }
            : msg.deep
              ? { ok: false, reason: msg.error ?? 'update nests too deeply', tooDeep: true }
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
    this.workerReady = false;
    this.workerTid = null;
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const task = this.queue.shift();
    if (!task) return;
    this.current = task;
    const worker = this.ensureWorker();
    const size = task.update.length;
    worker.postMessage({ id: task.id, update: task.update }, [task.update.buffer as ArrayBuffer]);
    this.currentSize = size;
    if (this.workerReady) this.startBudget();
    else this.timer = setTimeout(() => this.overrun(), collabLimits.decodeWorkerBootMs);
  }

  /** Starts the current task's decoding budget (once its worker is ready). */
  private startBudget(): void {
    if (!this.current) return;
    if (this.timer) clearTimeout(this.timer);
    const cpuMs =
      collabLimits.decodeBaseMs + (this.currentSize / (1024 * 1024)) * collabLimits.decodeMsPerMiB;
    const cpuAtStart = this.workerTid === null ? null : threadCpuMs(this.workerTid);
    this.budget = { cpuMs, cpuAtStart, wallDeadline: Date.now() + cpuMs * collabLimits.decodeWallFactor };
    this.timer = setTimeout(() => this.checkBudget(), cpuMs);
  }

  /**
   * The budget's time has passed on the clock: the decode overran if the worker spent it on the CPU
   * (or its CPU cannot be read, or the wall deadline passed); otherwise the timer waits for the rest.
   */
  private checkBudget(): void {
    const budget = this.budget;
    if (!budget) return;
    const cpuNow = this.workerTid === null ? null : threadCpuMs(this.workerTid);
    const used = budget.cpuAtStart === null || cpuNow === null ? null : cpuNow - budget.cpuAtStart;
    const wallLeft = budget.wallDeadline - Date.now();
    if (used === null || used >= budget.cpuMs || wallLeft <= 0) this.overrun();
    else
      this.timer = setTimeout(
        () => this.checkBudget(),
        Math.min(Math.max(budget.cpuMs - used, 20), wallLeft),
      );
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
    this.budget = null;
    const task = this.current;
    this.current = null;
    if (task) task.resolve(verdict);
    setImmediate(() => this.pump());
  }
}
