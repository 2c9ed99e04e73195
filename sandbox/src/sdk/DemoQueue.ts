import { DemoError } from './errors.js';

/** Hooks a queued task hears while it waits. */
export interface QueueHooks {
  /** Called on entry and whenever someone ahead leaves: 0 = next to run; size = how many wait. */
  onRank?: (rank: number, size: number) => void;
  /** Called once, just before the task starts. */
  onStart?: () => void;
  /** Aborting while still waiting removes the task; a started task is not interrupted here. */
  signal?: AbortSignal;
}

interface Waiter {
  start: () => void;
  hooks: QueueHooks;
}

/**
 * Runs tasks at most `limit` at a time, strictly in arrival order (FIFO), like Gradio's queue
 * with a concurrency_limit. Waiters are told their rank as the line moves.
 */
export class DemoQueue {
  private readonly waiting: Waiter[] = [];
  private active = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error('concurrency limit must be a positive integer');
  }

  /** Tasks waiting for a slot. */
  get size(): number {
    return this.waiting.length;
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Queues `task`; resolves or rejects with its outcome. */
  run<T>(task: () => Promise<T> | T, hooks: QueueHooks = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal } = hooks;
      if (signal?.aborted) return reject(new DemoError('Cancelled before it started', 'cancelled'));
      const waiter: Waiter = {
        hooks,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          hooks.onStart?.();
          // The slot is freed before the caller hears the outcome, so the next task starts at once.
          Promise.resolve()
            .then(task)
            .then(
              (value) => {
                this.release();
                resolve(value);
              },
              (err: unknown) => {
                this.release();
                reject(err);
              },
            );
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.announce(at);
        reject(new DemoError('Cancelled before it started', 'cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.active < this.limit && this.waiting.length === 0) return waiter.start();
      this.waiting.push(waiter);
      hooks.onRank?.(this.waiting.length - 1, this.waiting.length);
    });
  }

  private release(): void {
    this.active--;
    this.next();
  }

  private next(): void {
    let started = 0;
    while (this.active < this.limit && this.waiting.length > 0) {
      (this.waiting.shift() as Waiter).start();
      started++;
    }
    if (started > 0) this.announce(0);
  }

  /** Tells every waiter from index `from` on its new rank. */
  private announce(from: number): void {
    const size = this.waiting.length;
    for (let i = from; i < size; i++) this.waiting[i]?.hooks.onRank?.(i, size);
  }
}
