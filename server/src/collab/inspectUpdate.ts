import * as Y from 'yjs';
import { collabLimits } from './limits.js';
import { type NestingReport, NestingTooDeep, nestingOf } from './nesting.js';

// Remembers the decoder Yjs builds, to check afterwards that it consumed the whole update.
let lastDecoder: Y.UpdateDecoderV1 | null = null;
class CheckedDecoder extends Y.UpdateDecoderV1 {
  constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
    super(decoder);
    lastDecoder = this;
  }
}

/**
 * Decodes a V1 update completely (structs, contents, delete set, no trailing bytes) and measures how
 * deep it nests; throws when malformed, NestingTooDeep when a chain inside it is too deep.
 */
export function inspectUpdate(update: Uint8Array): {
  structs: number;
  deletes: number;
  nesting: NestingReport;
} {
  lastDecoder = null;
  let decoded: ReturnType<typeof Y.decodeUpdateV2>;
  try {
    decoded = Y.decodeUpdateV2(update, CheckedDecoder);
  } catch (err) {
    // lib0 reads JSON values recursively: only a value nested thousands deep exhausts the stack.
    if (err instanceof RangeError && /call stack/i.test(err.message))
      throw new NestingTooDeep('update nests too deeply to decode');
    throw err;
  }
  const { structs, ds } = decoded;
  const rest = (lastDecoder as Y.UpdateDecoderV1 | null)?.restDecoder;
  if (!rest || rest.pos !== update.length) throw new Error('trailing bytes after the update');
  let deletes = 0;
  for (const ranges of ds.clients.values()) deletes += ranges.length;
  return { structs: structs.length, deletes, nesting: nestingOf(structs, collabLimits.maxNestingDepth) };
}
