import { CloseCode, READ_ONLY_REASON } from '@atrium/protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from '../logger.js';
import type { CollabStore, StoredDocument } from './CollabStore.js';
import type { Connection } from './Connection.js';
import { collabLimits } from './limits.js';
import {
  type ClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSync,
  SyncType,
} from './messages.js';
import { nestingProblem } from './nesting.js';
import { encodePresence, parsePresence } from './presence.js';
import type { UpdateDecoder } from './UpdateDecoder.js';

export interface RoomDeps {
  store: CollabStore;
  decoder: UpdateDecoder;
  log: Logger;
  docMaxBytes: number;
  /** An update could not be stored: the room is unusable and must leave memory at once. */
  onBroken?: (room: Room) => void;
}

// As long as y-protocols keeps a silent client's presence before timing it out.
const RECENTLY_LEFT_MS = 30_000;

/**
 * The document's integrated state (what was stored and relayed), leaving out structs still waiting
 * for missing dependencies: Yjs merges those in with mergeUpdates, which crafted updates can make
 * drop whole clients, so the snapshot and joiners would disagree with what everyone else has.
 */
function encodeIntegratedState(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const { pendingStructs, pendingDs } = doc.store;
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    doc.store.pendingStructs = pendingStructs;
    doc.store.pendingDs = pendingDs;
  }
}

// How long one encoding of the whole document is shared by clients joining empty.
const FULL_SYNC_CACHE_MS = 5_000;

// State vector of an empty document: the client has nothing, so it gets the cached full state.
const isEmptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;

/**
 * One live document: its Y.Doc, presence and clients. Every accepted update is appended to the
 * store before it is relayed (store-before-relay), then encoded once and sent to every other client.
 * Appends, relays and compactions run one at a time in order, on a queue (`writes`).
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Server-side users of the document (save, kernels) keeping it loaded. */
  holds = 0;
  /** Encoded size of snapshot plus log: checked against the per-document cap. */
  storedBytes = 0;
  private lastSeq = 0;
  private logCount = 0;
  private logBytes = 0;
  private fullSync: Uint8Array | null = null;
  private fullSyncTimer: NodeJS.Timeout | null = null;
  private pendingPresence = new Set<number>();
  /** Which socket speaks for each awareness client id. */
  private presenceOwners = new Map<number, Connection>();
  private recentlyLeft = new Map<number, { user: string; at: number }>();
  private presenceTimer: NodeJS.Timeout | null = null;
  private compactTimer: NodeJS.Timeout | null = null;
  /** An append failed: nothing more is stored or relayed here; clients reconnect to a fresh room. */
  broken = false;
  /** The tail of the write queue: resolves once everything applied so far is stored and relayed. */
  private writes: Promise<void> = Promise.resolve();
  destroyed = false;

  /** Loads the document from the store and opens its room. */
  static async open(name: string, deps: RoomDeps): Promise<Room> {
    return new Room(name, deps, await deps.store.load(name));
  }

  private constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
    stored: StoredDocument,
  ) {
    // Loading replays trusted bytes we wrote ourselves: snapshot, then the log since.
    if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, this);
    for (const u of stored.updates) Y.applyUpdate(this.doc, u, this);
    this.lastSeq = stored.lastSeq;
    this.storedBytes = stored.storedBytes;
    this.logCount = stored.updates.length;
    for (const u of stored.updates) this.logBytes += u.length;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onPresence);
    this.maybeCompact();
  }

  /** Adds a client and opens the sync: our state vector, then everyone's presence. */
  attach(conn: Connection): void {
    this.connections.add(conn);
    conn.send(encodeSync(SyncType.Step1, Y.encodeStateVector(this.doc)));
    if (this.awareness.states.size > 0) {
      conn.send(
        encodeAwareness(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.states.keys()]),
        ),
      );
    }
  }

  detach(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.presenceIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.presenceIds], conn);
  }

  /** Handles one decoded message; resolves when it is applied (or refused) so the next may start. */
  async handle(conn: Connection, msg: ClientMessage): Promise<void> {
    switch (msg.type) {
      case 'syncStep1': {
        // Only what is stored is sent: the answer waits for updates still being written.
        await this.writes;
        if (this.destroyed) return;
        conn.send(this.syncStep2For(conn, msg.stateVector));
        return;
      }
      case 'syncStep2':
      case 'update': {
        const update = msg.update;
        if (update.length === 2 && update[0] === 0 && update[1] === 0) return;
        if (!conn.canWrite) {
          conn.send(encodePermissionDenied(READ_ONLY_REASON));
          return;
        }
        if (this.storedBytes + update.length > this.deps.docMaxBytes) {
          conn.close(CloseCode.DocumentTooLarge, `document would exceed ${this.deps.docMaxBytes} bytes`);
          return;
        }
        const verdict = await this.deps.decoder.check(update);
        if (!verdict.ok) {
          conn.close(verdict.tooDeep ? CloseCode.NestingTooDeep : CloseCode.MalformedMessage, verdict.reason);
          return;
        }
        // Access may have been taken away (or demoted) while the update was being checked.
        if (verdict.empty || conn.closed || !conn.canWrite) return;
        // Never dropped in silence: a client whose edit cannot be stored here reconnects and resends it.
        if (this.destroyed || this.broken) {
          conn.close(CloseCode.InternalError, 'storage failed; reconnect');
          return;
        }
        // Measured against this document: the update may hang deep chains from items it already has.
        const tooDeep = nestingProblem(this.doc, verdict.nesting, collabLimits.maxNestingDepth);
        if (tooDeep) {
          conn.close(CloseCode.NestingTooDeep, tooDeep);
          return;
        }
        try {
          Y.applyUpdate(this.doc, update, conn);
        } catch (err) {
          this.deps.log.warn({ err, doc: this.name }, 'update failed to apply after decoding');
          conn.close(CloseCode.MalformedMessage, 'update could not be applied');
        }
        // The sender's next message waits until this one is stored (back-pressure on the store).
        await this.writes;
        return;
      }
      case 'awareness': {
        // y-websocket clients echo every presence change they hear, so most entries are others':
        // only the sender's own ids (claimed once, never someone else's) are taken in.
        const allowed = parsePresence(msg.update).filter((e) =>
          this.mayPublish(conn, e.clientID, e.state !== null),
        );
        for (const e of allowed) if (e.state === null) this.releasePresence(conn, e.clientID);
        if (allowed.length > 0)
          awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresence(allowed, conn.user), conn);
        return;
      }
      case 'queryAwareness': {
        conn.send(
          encodeAwareness(
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.states.keys()]),
          ),
        );
        return;
      }
    }
  }

  /** Whether `conn` may publish presence for awareness client `id`; claims a free id for it. */
  private mayPublish(conn: Connection, id: number, present: boolean): boolean {
    if (conn.presenceIds.has(id)) return true;
    if (!present || this.presenceOwners.has(id) || this.awareness.states.has(id)) return false;
    if (conn.presenceIds.size >= collabLimits.maxPresenceIdsPerSocket) return false;
    // An id that just left is kept for its user for a while, so an echo cannot resurrect it under another name.
    const left = this.recentlyLeft.get(id);
    if (left && Date.now() - left.at < RECENTLY_LEFT_MS && (left.user !== conn.user.name || conn.user.guest))
      return false;
    this.recentlyLeft.delete(id);
    conn.presenceIds.add(id);
    this.presenceOwners.set(id, conn);
    return true;
  }

  private releasePresence(conn: Connection, id: number): void {
    if (this.presenceOwners.get(id) !== conn) return;
    this.presenceOwners.delete(id);
    conn.presenceIds.delete(id);
    this.recentlyLeft.set(id, { user: conn.user.name, at: Date.now() });
    if (this.recentlyLeft.size > 10_000) {
      for (const [key, v] of this.recentlyLeft)
        if (Date.now() - v.at >= RECENTLY_LEFT_MS) this.recentlyLeft.delete(key);
    }
  }

  /** The answer to a sync step 1; a client starting empty shares one cached encoding of the whole state. */
  private syncStep2For(conn: Connection, stateVector: Uint8Array): Uint8Array {
    if (isEmptyStateVector(stateVector)) {
      if (!this.fullSync) {
        this.fullSync = encodeSync(SyncType.Step2, encodeIntegratedState(this.doc));
        // Kept for a burst of joins, then let go: an idle room should cost only its Y.Doc.
        this.fullSyncTimer = setTimeout(() => {
          this.fullSync = null;
          this.fullSyncTimer = null;
        }, FULL_SYNC_CACHE_MS);
        this.fullSyncTimer.unref();
      }
      return this.fullSync;
    }
    try {
      return encodeSync(SyncType.Step2, encodeIntegratedState(this.doc, stateVector));
    } catch {
      conn.close(CloseCode.MalformedMessage, 'malformed state vector');
      return new Uint8Array(0);
    }
  }

  /** Runs `task` after everything queued before it; a failed task is logged by the task itself. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const done = this.writes.then(task);
    this.writes = done.catch(() => undefined);
    return done;
  }

  /** Resolves once every change applied so far is stored (and relayed). */
  settled(): Promise<void> {
    return this.writes;
  }

  /** Every change, from a client or from the server itself: store, then relay the same bytes to all. */
  private onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    this.fullSync = null;
    if (this.fullSyncTimer) clearTimeout(this.fullSyncTimer);
    this.fullSyncTimer = null;
    // Counted at once, so the size cap and compaction see updates still waiting to be written.
    this.storedBytes += update.length;
    this.logCount++;
    this.logBytes += update.length;
    void this.enqueue(async () => {
      if (this.broken) return;
      try {
        this.lastSeq = await this.deps.store.append(this.name, update);
      } catch (err) {
        // Not stored means not relayed: everyone reconnects and resyncs from what is durable.
        this.deps.log.error({ err, doc: this.name }, 'could not store an update; closing the room');
        this.broken = true;
        for (const c of this.connections) c.close(CloseCode.InternalError, 'storage failed; reconnect');
        this.deps.onBroken?.(this);
        return;
      }
      const message = encodeSync(SyncType.Update, update);
      for (const c of this.connections) if (c !== origin) c.send(message);
    });
    this.maybeCompact();
  };

  /** Presence changes are gathered for a moment and sent once, as one update, to everyone. */
  private onPresence = ({
    added,
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }): void => {
    for (const id of added) this.pendingPresence.add(id);
    for (const id of updated) this.pendingPresence.add(id);
    for (const id of removed) this.pendingPresence.add(id);
    this.presenceTimer ??= setTimeout(this.flushPresence, collabLimits.presenceBatchMs);
  };

  private flushPresence = (): void => {
    this.presenceTimer = null;
    if (this.pendingPresence.size === 0 || this.destroyed) return;
    const ids = [...this.pendingPresence];
    this.pendingPresence.clear();
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const c of this.connections) c.send(message);
  };

  private maybeCompact(): void {
    if (
      this.compactTimer ||
      (this.logCount < collabLimits.compactAfterUpdates && this.logBytes < collabLimits.compactAfterBytes)
    )
      return;
    // Deferred so a burst of keystrokes is relayed first; compaction runs between bursts.
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      void this.compact();
    }, 250);
    this.compactTimer.unref();
  }

  /**
   * Folds the log into one snapshot of the state as it is now, queued behind the updates already
   * applied (so `lastSeq` is theirs when it runs). Resolves once stored; a failure leaves the log.
   */
  compact(): Promise<void> {
    if (this.broken || this.logCount === 0) return this.writes;
    const state = encodeIntegratedState(this.doc);
    this.storedBytes = state.length;
    this.logCount = 0;
    this.logBytes = 0;
    return this.enqueue(async () => {
      if (this.broken) return;
      try {
        await this.deps.store.compact(this.name, state, this.lastSeq);
      } catch (err) {
        this.deps.log.warn({ err, doc: this.name }, 'compaction failed; the log stays');
      }
    });
  }

  /**
   * Closes every client with a code, frees the document; resolves once its final snapshot is stored.
   * `finalSnapshot: false` skips that snapshot (the stored document is about to be deleted).
   */
  destroy(
    code: number = CloseCode.ServerShutdown,
    reason = 'server is shutting down',
    { finalSnapshot = true } = {},
  ): Promise<void> {
    if (this.destroyed) return this.writes;
    for (const c of this.connections) c.close(code, reason);
    this.connections.clear();
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    if (this.compactTimer) clearTimeout(this.compactTimer);
    if (this.fullSyncTimer) clearTimeout(this.fullSyncTimer);
    this.fullSync = null;
    let final = this.writes;
    try {
      if (finalSnapshot) final = this.compact();
    } catch (err) {
      this.deps.log.warn({ err, doc: this.name }, 'final compaction failed; the log stays');
    }
    this.destroyed = true;
    this.awareness.destroy();
    this.doc.destroy();
    return final;
  }
}
