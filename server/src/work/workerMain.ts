import { parentPort } from 'node:worker_threads';
import { HttpError } from '../errors.js';
import type { TaskReply } from './TaskWorker.js';
import { type TaskName, tasks } from './tasks.js';
import { transferablesOf } from './transferables.js';

// Runs in the task worker thread (TaskWorker.ts): one task at a time, answered by id.
parentPort?.on('message', (msg: { id: number; name: TaskName; input: unknown }) => {
  let reply: TaskReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const output = (tasks[msg.name] as (input: unknown) => unknown)(msg.input);
    transfer = transferablesOf(output);
    reply = { id: msg.id, ok: true, output };
  } catch (err) {
    reply =
      err instanceof HttpError
        ? { id: msg.id, ok: false, status: err.status, message: err.message, errorId: err.id }
        : { id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply, transfer);
});
