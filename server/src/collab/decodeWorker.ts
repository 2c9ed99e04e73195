import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

// Remembers the decoder Yjs builds, to check afterwards that it consumed the whole update.
let lastDecoder: Y.UpdateDecoderV1 | null = null;
class CheckedDecoder extends Y.UpdateDecoderV1 {
  constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
    super(decoder);
    lastDecoder = this;
  }
}

// Runs in a worker thread: fully decodes an untrusted update so a decoder that spins or
// swells is killed here, on a budget, instead of freezing the server's event loop.
parentPort?.on('message', (msg: { id: number; update: Uint8Array }) => {
  try {
    lastDecoder = null;
    const { structs, ds } = Y.decodeUpdateV2(msg.update, CheckedDecoder);
    const rest = (lastDecoder as Y.UpdateDecoderV1 | null)?.restDecoder;
    if (!rest || rest.pos !== msg.update.length) throw new Error('trailing bytes after the update');
    let deletes = 0;
    for (const ranges of ds.clients.values()) deletes += ranges.length;
    parentPort?.postMessage({ id: msg.id, ok: true, structs: structs.length, deletes });
  } catch (err) {
    parentPort?.postMessage({
      id: msg.id,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
    });
  }
});
