import { describe, expect, it } from 'vitest';
import { encodeSync, MalformedFrame, parseClientFrame, SyncType } from './messages.js';
import { encodePresence, parsePresence } from './presence.js';

describe('parseClientFrame', () => {
  it('reads the sync messages y-websocket sends', () => {
    expect(parseClientFrame(Uint8Array.from([0, 0, 1, 0]))).toEqual({
      type: 'syncStep1',
      stateVector: Uint8Array.from([0]),
    });
    expect(parseClientFrame(encodeSync(SyncType.Update, Uint8Array.from([0, 0])))).toEqual({
      type: 'update',
      update: Uint8Array.from([0, 0]),
    });
    expect(parseClientFrame(Uint8Array.from([3]))).toEqual({ type: 'queryAwareness' });
  });

  it.each([
    ['an empty frame', []],
    ['a truncated varint', [0, 0, 0xff, 0xff]],
    ['a length larger than the frame', [0, 2, 0xff, 0xff, 0xff, 0x0f, 1]],
    ['trailing bytes', [0, 0, 1, 0, 9]],
    ['an unknown message type', [42]],
    ['an unknown sync type', [0, 7, 0]],
  ])('refuses %s', (_what, bytes) => {
    expect(() => parseClientFrame(Uint8Array.from(bytes))).toThrow(MalformedFrame);
  });

  it('never reads past the frame into the rest of a pooled buffer', () => {
    const pool = Buffer.from([0, 2, 5, 1, 2, 3, 4, 5]);
    expect(() => parseClientFrame(pool.subarray(0, 5))).toThrow(MalformedFrame);
  });
});

describe('presence', () => {
  it('overwrites the user a client claims with the authenticated one', () => {
    const encoded = encodePresence(
      [{ clientID: 7, clock: 1, state: { user: { name: 'admin' }, cursor: 3 } }],
      { name: 'alice', color: '#fff' },
    );
    expect(parsePresence(encoded)).toEqual([
      { clientID: 7, clock: 1, state: { user: { name: 'alice', color: '#fff' }, cursor: 3 } },
    ]);
  });

  it('refuses a presence state that is not a JSON object', () => {
    const bad = encodePresence([{ clientID: 1, clock: 1, state: null }], { name: 'a', color: '#000' });
    bad[bad.length - 1] = 0x7b; // "null" → "nul{"
    expect(() => parsePresence(bad)).toThrow(MalformedFrame);
  });
});
