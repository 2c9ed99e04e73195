import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** y-websocket message types (first varuint of every frame). */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
/** y-protocols sync sub-types. */
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

/** One decoded client frame. */
export type ClientMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncStep2' | 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' };

/** A frame that does not follow the protocol; its message becomes the close reason. */
export class MalformedFrame extends Error {}

/**
 * Splits a frame into its message, checking every length against the bytes actually present,
 * so truncated varints and huge declared lengths fail here, in constant time, before any decoder.
 */
export function parseClientFrame(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) throw new MalformedFrame('empty frame');
  const decoder = decoding.createDecoder(frame);
  const type = readUint(decoder, 'message type');
  let message: ClientMessage;
  switch (type) {
    case MessageType.Sync: {
      const sub = readUint(decoder, 'sync type');
      const payload = readBytes(decoder, 'sync payload');
      if (sub === SyncType.Step1) message = { type: 'syncStep1', stateVector: payload };
      else if (sub === SyncType.Step2) message = { type: 'syncStep2', update: payload };
      else if (sub === SyncType.Update) message = { type: 'update', update: payload };
      else throw new MalformedFrame(`unknown sync message type ${sub}`);
      break;
    }
    case MessageType.Awareness:
      message = { type: 'awareness', update: readBytes(decoder, 'awareness payload') };
      break;
    case MessageType.QueryAwareness:
      message = { type: 'queryAwareness' };
      break;
    default:
      throw new MalformedFrame(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedFrame('trailing bytes after the message');
  return message;
}

/** A varuint that must end inside the frame and fit a safe integer. */
export function readUint(decoder: decoding.Decoder, what: string): number {
  // A varuint is at most 8 bytes for safe integers; more is garbage or an attack.
  const start = decoder.pos;
  try {
    const n = decoding.readVarUint(decoder);
    if (decoder.pos - start > 8) throw new Error('too long');
    return n;
  } catch {
    throw new MalformedFrame(`truncated or oversized varint (${what})`);
  }
}

/** A length-prefixed byte run that must lie inside the frame (lib0 alone would read past a pooled view). */
export function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const len = readUint(decoder, `${what} length`);
  const left = decoder.arr.length - decoder.pos;
  if (len > left) throw new MalformedFrame(`${what} declares ${len} bytes but only ${left} follow`);
  return decoding.readUint8Array(decoder, len);
}

/** A sync message around a payload, encoded once and sent to everyone as the same buffer. */
export function encodeSync(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** y-protocols auth "permission denied" with a reason: how y-websocket clients learn they are read-only. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
