import { parentPort } from 'node:worker_threads';
import { inspectUpdate } from './inspectUpdate.js';
import { NestingTooDeep } from './nesting.js';
import { currentThreadId } from './threadCpu.js';

// Runs in a worker thread: fully decodes an untrusted update so a decoder that spins or
// swells is killed here, on a budget, instead of freezing the server's event loop.
parentPort?.on('message', (msg: { id: number; update: Uint8Array }) => {
  try {
    parentPort?.postMessage({ id: msg.id, ok: true, ...inspectUpdate(msg.update) });
  } catch (err) {
    parentPort?.postMessage({
      id: msg.id,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
      deep: err instanceof NestingTooDeep,
    });
  }
});
// Loaded and listening: the budget of the first update starts now, not while this thread boots
// (which takes seconds on a loaded machine, and must not count against an honest writer). Its thread
// id lets the server count the budget in this thread's CPU time.
parentPort?.postMessage({ ready: true, tid: currentThreadId() });
