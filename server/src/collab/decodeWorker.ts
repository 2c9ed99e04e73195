import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

// Runs in a worker thread: fully decodes an untrusted update so a decoder that spins or
// swells is killed here, on a budget, instead of freezing the server's event loop.
parentPort?.on('message', (msg: { id: number; update: Uint8Array }) => {
  try {
    const { structs, ds } = Y.decodeUpdate(msg.update);
    let deletes = 0;
    for (const ranges of ds.clients.values()) deletes += ranges.length;
    parentPort?.postMessage({ id: msg.id, ok: true, structs: structs.length, deletes });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
