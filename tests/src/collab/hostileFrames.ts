import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

// Crafted updates from yjs issue #687 (run-length encoding abused to loop or swell) and the
// zero-length update of #498; sent to a server that speaks the V1 protocol they are hostile bytes either way.
export const ISSUE_687_UPDATES: Uint8Array[] = [
  new Uint8Array([
    0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 2, 0, 0, 22, 2, 0, 0, 1, 253, 255, 255, 255, 255, 127, 0, 0,
  ]),
  new Uint8Array([
    228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233,
    173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246,
  ]),
  new Uint8Array([
    228, 149, 0, 0, 1, 24, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 237, 1, 190, 130, 227, 195, 28, 1, 2, 228, 149, 0, 0,
    1, 24, 0, 0, 1, 24, 0, 0, 1, 0, 1, 237, 0,
  ]),
  new Uint8Array([
    143, 1, 128, 0, 0, 0, 1, 170, 1, 0, 1, 2, 0, 0, 22, 2, 0, 229, 196, 67, 20, 231, 166, 139, 147, 174, 181,
    253, 93, 232, 38, 154, 138, 89, 0, 49, 213, 15, 18, 1, 48, 0, 0, 0,
  ]),
  new Uint8Array([
    0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234, 214, 0, 1, 0, 0,
    1, 0, 0, 132, 0, 0, 16, 255, 199, 220, 255, 0, 0, 0,
  ]),
];
export const ISSUE_498_UPDATE = new Uint8Array(0);

/** A y-websocket sync frame around any payload (type 0 = sync, sub 0/1/2). */
export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** A small deterministic PRNG so a failing frame can be reproduced from its index. */
export function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const validUpdate = (() => {
  const d = new Y.Doc();
  d.getText('t').insert(0, 'a valid update that will be mangled');
  d.getMap('m').set('k', { nested: [1, 2, 3] });
  return Y.encodeStateAsUpdate(d);
})();

// Over the inline-decoding threshold (64 KiB), so the worker thread path is fuzzed too.
const bigUpdate = (() => {
  const d = new Y.Doc();
  for (let k = 0; k < 40; k++) d.getText('t').insert(0, `${'large paste '.repeat(200)}${k}`);
  return Y.encodeStateAsUpdate(d);
})();

/** The i-th hostile frame: garbage, empty, truncated varints, huge declared lengths, mangled or crafted updates. */
export function hostileFrame(i: number): Uint8Array {
  const rand = prng(i * 2654435761 + 1);
  if (i % 500 === 499) {
    // A large update cut short, or with trailing garbage, decoded by the worker.
    return i % 1000 === 999
      ? syncFrame(2, bigUpdate.subarray(0, bigUpdate.length - 3))
      : syncFrame(2, Uint8Array.from([...bigUpdate, 1, 2, 3]));
  }
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  switch (i % 10) {
    case 0:
      return bytes(1 + Math.floor(rand() * 64)); // garbage
    case 1:
      return new Uint8Array(0); // zero length frame
    case 2:
      return Uint8Array.from([0, 0, 0xff, 0xff, 0xff]); // truncated varint length
    case 3:
      return Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]); // declares ~4 GiB, has 3 bytes
    case 4:
      return syncFrame(2, ISSUE_687_UPDATES[i % ISSUE_687_UPDATES.length]!); // #687 payloads as updates
    case 5:
      return syncFrame(2, ISSUE_498_UPDATE); // #498: an update of zero bytes
    case 6: {
      const u = validUpdate.slice(0, 1 + Math.floor(rand() * (validUpdate.length - 1))); // truncated update
      return syncFrame(2, u);
    }
    case 7: {
      const u = validUpdate.slice();
      for (let k = 0; k < 4; k++) u[Math.floor(rand() * u.length)] = Math.floor(rand() * 256); // bit rot
      return syncFrame(2, u);
    }
    case 8:
      return Uint8Array.from([1, ...bytes(1 + Math.floor(rand() * 32))]); // awareness garbage
    default:
      return Uint8Array.from([7 + Math.floor(rand() * 200), ...bytes(4)]); // unknown message type
  }
}
