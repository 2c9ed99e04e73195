import * as Y from 'yjs';

// Remembers the decoder Yjs builds, to check afterwards that it consumed the whole update.
let lastDecoder: Y.UpdateDecoderV1 | null = null;
class CheckedDecoder extends Y.UpdateDecoderV1 {
  constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
    super(decoder);
    lastDecoder = this;
  }
}

/** Decodes a V1 update completely (structs, contents, delete set, no trailing bytes); throws when malformed. */
export function inspectUpdate(update: Uint8Array): { structs: number; deletes: number } {
  lastDecoder = null;
  const { structs, ds } = Y.decodeUpdateV2(update, CheckedDecoder);
  const rest = (lastDecoder as Y.UpdateDecoderV1 | null)?.restDecoder;
  if (!rest || rest.pos !== update.length) throw new Error('trailing bytes after the update');
  let deletes = 0;
  for (const ranges of ds.clients.values()) deletes += ranges.length;
  return { structs: structs.length, deletes };
}
