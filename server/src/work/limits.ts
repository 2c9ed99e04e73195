import type { TaskWorkerLimits } from './TaskWorker.js';

/** The task worker's limits: a 49 MB notebook import peaks at about 700 MB of heap in it. */
export const taskWorkerLimits: TaskWorkerLimits = {
  heapMb: 1536,
  maxQueued: 8,
  idleMs: 60_000,
};
