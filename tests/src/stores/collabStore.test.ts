import type { CollabStore } from '@atrium/server/collab/CollabStore';
import { sqlCollabStore } from '@atrium/server/collab/sqlCollabStore';
import { beforeEach, expect, it } from 'vitest';
import { describeOnEngines } from './engines.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describeOnEngines('the live document store', ({ db, second }) => {
  let store: CollabStore;
  beforeEach(() => {
    store = sqlCollabStore(db());
  });
  /** Updates in the log and their bytes, read from the table. */
  const logSize = async (doc: string) => {
    const rows = await db()
      .kysely.selectFrom('collab_updates')
      .select('data')
      .where('doc', '=', doc)
      .execute();
    return { count: rows.length, bytes: rows.reduce((n, r) => n + r.data.length, 0) };
  };

  it('returns the snapshot and the updates appended after it, in order', async () => {
    expect(await store.isEmpty('d')).toBe(true);
    expect(await store.load('d')).toEqual({ snapshot: null, updates: [], lastSeq: 0, storedBytes: 0 });
    const s1 = await store.append('d', bytes(1));
    const s2 = await store.append('d', bytes(2, 2));
    expect(s2).toBeGreaterThan(s1);
    expect(await store.isEmpty('d')).toBe(false);
    expect(await logSize('d')).toEqual({ count: 2, bytes: 3 });
    await store.compact('d', bytes(9, 9, 9), s1);
    const s3 = await store.append('d', bytes(3));
    const loaded = await store.load('d');
    expect(loaded.snapshot).toEqual(bytes(9, 9, 9));
    expect(loaded.updates).toEqual([bytes(2, 2), bytes(3)]);
    expect(loaded.lastSeq).toBe(s3);
    expect(loaded.storedBytes).toBe(6);
    expect(await logSize('d')).toEqual({ count: 2, bytes: 3 });
  });

  it('keeps every update appended at once from two connections', async () => {
    const other = sqlCollabStore(await second());
    const seqs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).append('busy', bytes(i))),
    );
    expect(new Set(seqs).size).toBe(40);
    const loaded = await store.load('busy');
    expect(loaded.updates.map((u) => u[0]).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });

  it('moves a document to a new name, dropping what the new name held, and forgets a removed one', async () => {
    await store.append('old', bytes(1));
    await store.compact('old', bytes(5), 0);
    await store.append('new', bytes(7));
    await store.rename('old', 'new');
    expect(await store.isEmpty('old')).toBe(true);
    const moved = await store.load('new');
    expect(moved.snapshot).toEqual(bytes(5));
    expect(moved.updates).toEqual([bytes(1)]);
    await store.remove('new');
    expect(await store.isEmpty('new')).toBe(true);
  });
});
