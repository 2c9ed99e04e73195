import type { SqliteDatabase } from '../db/openDatabase.js';
import type { CollabStore, StoredDocument } from './CollabStore.js';

/** CollabStore on the server's SQLite database (WAL: an append is one small write, no fsync each). */
export function sqliteCollabStore(db: SqliteDatabase): CollabStore {
  const snapshotOf = db.prepare<[string], { state: Buffer; seq: number }>(
    'SELECT state, seq FROM collab_snapshots WHERE doc = ?',
  );
  const updatesOf = db.prepare<[string, number], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM collab_updates WHERE doc = ? AND seq > ? ORDER BY seq',
  );
  const insert = db.prepare<[string, Uint8Array]>('INSERT INTO collab_updates (doc, data) VALUES (?, ?)');
  const upsertSnapshot = db.prepare<[string, Uint8Array, number, string]>(
    `INSERT INTO collab_snapshots (doc, state, seq, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (doc) DO UPDATE SET state = excluded.state, seq = excluded.seq, updated_at = excluded.updated_at`,
  );
  const dropLog = db.prepare<[string, number]>('DELETE FROM collab_updates WHERE doc = ? AND seq <= ?');
  const sizeOf = db.prepare<[string], { count: number; bytes: number | null }>(
    'SELECT count(*) AS count, sum(length(data)) AS bytes FROM collab_updates WHERE doc = ?',
  );
  const anySnapshot = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM collab_snapshots WHERE doc = ?',
  );
  const anyUpdate = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM collab_updates WHERE doc = ? LIMIT 1',
  );
  const deleteSnapshot = db.prepare<[string]>('DELETE FROM collab_snapshots WHERE doc = ?');
  const deleteUpdates = db.prepare<[string]>('DELETE FROM collab_updates WHERE doc = ?');
  const renameSnapshot = db.prepare<[string, string]>('UPDATE collab_snapshots SET doc = ? WHERE doc = ?');
  const renameUpdates = db.prepare<[string, string]>('UPDATE collab_updates SET doc = ? WHERE doc = ?');
  const remove = db.transaction((doc: string) => {
    deleteSnapshot.run(doc);
    deleteUpdates.run(doc);
  });
  const rename = db.transaction((from: string, to: string) => {
    if (from === to) return;
    remove(to);
    renameSnapshot.run(to, from);
    renameUpdates.run(to, from);
  });
  const compact = db.transaction((doc: string, state: Uint8Array, uptoSeq: number) => {
    upsertSnapshot.run(doc, state, uptoSeq, new Date().toISOString());
    dropLog.run(doc, uptoSeq);
  });

  return {
    load(doc): StoredDocument {
      const snap = snapshotOf.get(doc);
      const rows = updatesOf.all(doc, snap?.seq ?? 0);
      let storedBytes = snap?.state.length ?? 0;
      for (const r of rows) storedBytes += r.data.length;
      return {
        snapshot: snap ? new Uint8Array(snap.state) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.at(-1)?.seq ?? snap?.seq ?? 0,
        storedBytes,
      };
    },
    isEmpty(doc) {
      return anySnapshot.get(doc) === undefined && anyUpdate.get(doc) === undefined;
    },
    append(doc, update) {
      return Number(insert.run(doc, update).lastInsertRowid);
    },
    compact(doc, state, uptoSeq) {
      compact(doc, state, uptoSeq);
    },
    rename(from, to) {
      rename(from, to);
    },
    remove(doc) {
      remove(doc);
    },
    logSize(doc) {
      const row = sizeOf.get(doc);
      return { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
    },
  };
}
