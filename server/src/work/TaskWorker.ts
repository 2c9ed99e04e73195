import { Worker } from 'node:worker_threads';
import { HttpError, payloadTooLarge, unavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import { type TaskInput, type TaskName, type TaskOutput, tasks } from './tasks.js';
import { transferablesOf } from './transferables.js';

/** Limits of the thread that takes a request's heavy work off the event loop. */
export interface TaskWorkerLimits {
  /** Heap of the thread: a task that needs more is stopped with a 413 (the thread is replaced). */
  heapMb: number;
  /** Tasks waiting for their turn; past it callers get a 503 at once instead of queueing memory. */
  maxQueued: number;
  /** A thread with nothing to do this long exits (the next task starts a fresh one). */
  idleMs: number;
}

interface Job {
  id: number;
  name: TaskName;
  input: unknown;
  budgetMs: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/** What the worker thread answers for one job. */
export type TaskReply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; status?: number; message: string; errorId?: string };

/**
 * One worker thread running named tasks (`tasks.ts`) one at a time, each within a time budget and
 * the thread's heap limit: a task that overruns either is stopped with a 413 naming the limit, the
 * thread is replaced, and the server's event loop never ran it. Results carry their bytes by
 * transfer, so handing back a 50 MB notebook costs no copy.
 */
export class TaskWorker {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;
  /** Threads stopped for overrunning their time or memory, for tests and health. */
  restarts = 0;

  constructor(
    private readonly url: URL,
    private readonly limits: TaskWorkerLimits,
    private readonly log: Logger,
  ) {}

  /**
   * Runs a task off the event loop; rejects with an HttpError (the task's own, 413 on overrun, 503
   * when busy). Byte arrays in the input move to the thread (the caller must not use them again).
   * `inline` runs a task known to be small in place, where a thread hand-off would cost more.
   */
  run<N extends TaskName>(
    name: N,
    input: TaskInput<N>,
    options: { budgetMs: number; inline?: boolean },
  ): Promise<TaskOutput<N>> {
    if (options.inline) {
      try {
        return Promise.resolve((tasks[name] as (i: TaskInput<N>) => TaskOutput<N>)(input));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (this.closed) return Promise.reject(unavailable('The server is shutting down', 'shutting_down'));
    if (this.queue.length >= this.limits.maxQueued)
      return Promise.reject(
        unavailable('The server is busy with other large requests; try again shortly', 'busy'),
      );
    return new Promise((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        name,
        input,
        budgetMs: options.budgetMs,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(unavailable('The server is shutting down', 'shutting_down'));
    this.settle(null, unavailable('The server is shutting down', 'shutting_down'));
    await this.stopThread();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.heapMb,
        maxYoungGenerationSizeMb: 64,
        stackSizeMb: 4,
      },
    });
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      if (!this.current || reply.id !== this.current.id) return;
      if (reply.ok) this.settle(reply.output, null);
      else
        this.settle(
          null,
          reply.status
            ? new HttpError(reply.status, reply.message, reply.errorId ?? 'bad_request')
            : new Error(reply.message),
        );
    });
    worker.on('error', (err) => {
      // Out of memory (or a crash) in the thread: that task fails, a fresh thread takes the next.
      if (this.worker === worker) this.worker = null;
      this.restarts++;
      const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.log.warn({ err, task: this.current?.name }, 'task worker failed');
      this.settle(
        null,
        oom
          ? payloadTooLarge(
              `This request needs more than ${this.limits.heapMb} MB of memory to process`,
              'too_much_memory',
            )
          : new Error(`task worker failed: ${err.message}`),
      );
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settle(null, new Error('task worker stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      this.scheduleIdleExit();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.current = job;
    this.timer = setTimeout(() => this.overrun(job), job.budgetMs);
    this.thread().postMessage({ id: job.id, name: job.name, input: job.input }, transferablesOf(job.input));
  }

  private overrun(job: Job): void {
    if (this.current !== job) return;
    this.restarts++;
    this.log.warn(
      { task: job.name, budgetMs: job.budgetMs },
      'task overran its time budget; worker replaced',
    );
    void this.stopThread();
    this.settle(
      null,
      payloadTooLarge(`This request takes longer than ${job.budgetMs / 1000} s to process`, 'too_slow'),
    );
  }

  private settle(output: unknown, error: Error | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const job = this.current;
    this.current = null;
    if (job) {
      if (error) job.reject(error);
      else job.resolve(output);
    }
    setImmediate(() => this.pump());
  }

  private scheduleIdleExit(): void {
    if (!this.worker || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.current && this.queue.length === 0) void this.stopThread();
    }, this.limits.idleMs);
    this.idleTimer.unref();
  }

  private async stopThread(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
