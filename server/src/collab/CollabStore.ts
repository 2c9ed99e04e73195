/** What a room needs to come back after a restart: the last snapshot and the updates since. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Sequence number of the newest stored update (0 when none). */
  lastSeq: number;
  /** Bytes of snapshot plus log: what the size cap is checked against. */
  storedBytes: number;
}

/**
 * Durable storage of live documents: an append-only update log per document, folded into snapshots.
 * Asynchronous so PostgreSQL can stand behind it; a room awaits each append before it relays.
 */
export interface CollabStore {
  load(doc: string): Promise<StoredDocument>;
  /** True when nothing was ever stored for the document. */
  isEmpty(doc: string): Promise<boolean>;
  /** Appends one accepted update; resolves to its sequence number once it is durable. */
  append(doc: string, update: Uint8Array): Promise<number>;
  /** Replaces the snapshot with `state` and drops the log up to `uptoSeq` (both in one transaction). */
  compact(doc: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  /** Moves everything stored for `from` to `to` (its repository was renamed); whatever `to` held is dropped. */
  rename(from: string, to: string): Promise<void>;
  /** Forgets the document (its repository was deleted). */
  remove(doc: string): Promise<void>;
}
