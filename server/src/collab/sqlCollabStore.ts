import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/openDatabase.js';
import type { Tables } from '../db/tables.js';
import type { CollabStore, StoredDocument } from './CollabStore.js';

/** CollabStore on either engine (SQLite in WAL mode: an append is one small write, no fsync each). */
export function sqlCollabStore({ kysely: db, engine }: Database): CollabStore {
  const remove = async (q: Transaction<Tables>, doc: string) => {
    await q.deleteFrom('collab_snapshots').where('doc', '=', doc).execute();
    await q.deleteFrom('collab_updates').where('doc', '=', doc).execute();
  };
  return {
    async load(doc): Promise<StoredDocument> {
      // One snapshot of both tables, so a compaction between the two reads cannot drop updates:
      // SQLite's transactions are snapshots already; PostgreSQL's default (read committed) takes a
      // new one per statement, so its load asks for repeatable read.
      const reading = db.transaction();
      return (engine === 'postgres' ? reading.setIsolationLevel('repeatable read') : reading).execute(
        async (q) => {
          const snap = await q
            .selectFrom('collab_snapshots')
            .select(['state', 'seq'])
            .where('doc', '=', doc)
            .executeTakeFirst();
          const rows = await q
            .selectFrom('collab_updates')
            .select(['seq', 'data'])
            .where('doc', '=', doc)
            .where('seq', '>', snap?.seq ?? 0)
            .orderBy('seq')
            .execute();
          let storedBytes = snap?.state.length ?? 0;
          for (const r of rows) storedBytes += r.data.length;
          return {
            snapshot: snap ? new Uint8Array(snap.state) : null,
            updates: rows.map((r) => new Uint8Array(r.data)),
            lastSeq: Number(rows.at(-1)?.seq ?? snap?.seq ?? 0),
            storedBytes,
          };
        },
      );
    },
    async isEmpty(doc) {
      const { rows } = await sql<{
        one: number;
      }>`SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM collab_snapshots WHERE doc = ${doc})
        OR EXISTS (SELECT 1 FROM collab_updates WHERE doc = ${doc})`.execute(db);
      return rows.length === 0;
    },
    async append(doc, update) {
      const row = await db
        .insertInto('collab_updates')
        .values({ doc, data: update })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return Number(row.seq);
    },
    async compact(doc, state, uptoSeq) {
      await db.transaction().execute(async (q) => {
        const updated_at = new Date().toISOString();
        await q
          .insertInto('collab_snapshots')
          .values({ doc, state, seq: uptoSeq, updated_at })
          .onConflict((oc) => oc.column('doc').doUpdateSet({ state, seq: uptoSeq, updated_at }))
          .execute();
        await q.deleteFrom('collab_updates').where('doc', '=', doc).where('seq', '<=', uptoSeq).execute();
      });
    },
    async rename(from, to) {
      if (from === to) return;
      await db.transaction().execute(async (q) => {
        await remove(q, to);
        await q.updateTable('collab_snapshots').set({ doc: to }).where('doc', '=', from).execute();
        await q.updateTable('collab_updates').set({ doc: to }).where('doc', '=', from).execute();
      });
    },
    async remove(doc) {
      await db.transaction().execute((q) => remove(q, doc));
    },
  };
}
