import { type CollabPresenceUser, presenceColorOf } from '@atrium/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Identity } from '../auth/Identity.js';
import { collabLimits } from './limits.js';
import { MalformedFrame, readBytes, readUint } from './messages.js';

/** One client's presence as carried in an awareness update. */
export interface PresenceEntry {
  clientID: number;
  clock: number;
  /** null means the client left. */
  state: Record<string, unknown> | null;
}

let guests = 0;
/** The presence user the server stamps on every state this identity publishes. */
export function presenceUserOf(identity: Identity): CollabPresenceUser {
  if (identity.user) return { name: identity.user.name, color: presenceColorOf(identity.user.name) };
  const name = `Guest ${(++guests % 10_000).toString().padStart(4, '0')}`;
  return { name, color: presenceColorOf(name), guest: true };
}

/** Decodes an awareness update, bounding counts and sizes; throws MalformedFrame. */
export function parsePresence(payload: Uint8Array): PresenceEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = readUint(decoder, 'presence count');
  if (count > collabLimits.maxPresenceEntries)
    throw new MalformedFrame(`presence update names ${count} clients`);
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientID = readUint(decoder, 'presence client id');
    const clock = readUint(decoder, 'presence clock');
    const raw = readBytes(decoder, 'presence state');
    if (raw.length > collabLimits.maxPresenceStateBytes)
      throw new MalformedFrame('presence state is too large');
    let state: unknown;
    try {
      state = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
    } catch {
      throw new MalformedFrame('presence state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
      throw new MalformedFrame('presence state is not an object');
    entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new MalformedFrame('trailing bytes after the presence update');
  return entries;
}

/** Encodes entries back into an awareness update, with `user` overwritten by the authenticated one. */
export function encodePresence(entries: PresenceEntry[], user: CollabPresenceUser): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientID);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state === null ? null : { ...e.state, user }));
  }
  return encoding.toUint8Array(encoder);
}
