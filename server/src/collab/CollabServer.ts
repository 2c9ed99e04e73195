import { CloseCode, DEMOTED_REASON, movedReason } from '@atrium/protocol';
import type * as Y from 'yjs';
import { credentialCanWrite, type Identity } from '../auth/Identity.js';
import { HttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CollabStore } from './CollabStore.js';
import { Connection } from './Connection.js';
import type { DocumentAccess } from './DocumentAccess.js';
import type { DocumentSeeder } from './DocumentSeeder.js';
import { type DocumentRef, parseDocumentName } from './documentName.js';
import { collabLimits } from './limits.js';
import { encodePermissionDenied, MalformedFrame, parseClientFrame } from './messages.js';
import { presenceUserOf } from './presence.js';
import { Room } from './Room.js';
import type { UpdateDecoder } from './UpdateDecoder.js';
import type { WebSocketLike } from './WebSocketLike.js';

export interface CollabServerOptions {
  store: CollabStore;
  access: DocumentAccess;
  decoder: UpdateDecoder;
  log: Logger;
  /** A room leaves memory this long after its last client (and server-side hold) is gone. */
  idleMs: number;
  docMaxBytes: number;
  /** Where a document opened for the first time takes its content from (none: it starts empty). */
  seeder?: DocumentSeeder;
  /** Called when a document is loaded into memory, before anyone sees it (repairs after a crash). */
  onLoad?: (ref: DocumentRef, doc: Y.Doc) => void;
}

/** Who connects to which document; the transport has already been accepted. */
export interface CollabRequest {
  documentName: string;
  identity: Identity;
}

/** A document kept loaded by server-side code (saving, kernels writing outputs). */
export interface DocumentHold {
  doc: Y.Doc;
  release: () => void;
}

/**
 * The room core, independent of HTTP: takes an open socket speaking the y-websocket protocol,
 * checks access, and joins it to the document's room (loading it from the store on first use).
 */
export class CollabServer {
  readonly rooms = new Map<string, Room>();
  private idleTimers = new Map<string, NodeJS.Timeout>();
  private closing = false;
  private seeding = new Map<string, Promise<void>>();
  /** Rooms being read from the store: everyone asking meanwhile gets the same one. */
  private loading = new Map<string, Promise<Room>>();
  /** Rename, delete and unloads in progress, by document name (`exclusively`). */
  private pending = new Map<string, Promise<void>>();

  constructor(private readonly options: CollabServerOptions) {}

  handleConnection(socket: WebSocketLike, request: CollabRequest): void {
    const { log } = this.options;
    const conn = new Connection(socket, request.identity, presenceUserOf(request.identity), () =>
      this.sendLimit(room),
    );
    let room: Room | null = null;
    let draining = false;
    let unwatch: (() => void) | null = null;

    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (room) {
        room.detach(conn);
        this.scheduleEviction(room);
      }
    };
    const drain = async () => {
      if (draining || !room) return;
      draining = true;
      try {
        while (!conn.closed && conn.inbox.length > 0 && room && !room.destroyed) {
          const frame = conn.inbox.shift()!;
          conn.inboxBytes -= frame.length;
          try {
            await room.handle(conn, parseClientFrame(frame));
          } catch (err) {
            if (err instanceof MalformedFrame) conn.close(CloseCode.MalformedMessage, err.message);
            else {
              log.warn({ err, doc: request.documentName }, 'collab message failed');
              conn.close(CloseCode.InternalError, 'internal error');
            }
          }
        }
      } finally {
        draining = false;
        // A client that hung up leaves only once everything it sent before is applied and stored.
        if (conn.ended) leave();
      }
    };

    socket.on('message', (data, isBinary) => {
      if (conn.closed) return;
      const frame = toBytes(data);
      if (frame.length > collabLimits.maxFrameBytes)
        return conn.close(CloseCode.FrameTooLarge, 'frame larger than 16 MiB');
      if (!isBinary)
        return conn.close(CloseCode.MalformedMessage, 'text frames are not part of the protocol');
      if (!conn.withinQuota(quotaCost(frame)))
        return conn.close(CloseCode.UnauthenticatedQuota, 'sign in to send more');
      if (conn.inboxBytes + frame.length > collabLimits.maxQueuedBytes)
        return conn.close(CloseCode.Flooding, 'too many messages queued');
      conn.inbox.push(frame);
      conn.inboxBytes += frame.length;
      void drain();
    });
    socket.on('error', (err) => log.debug({ err }, 'collab socket error'));
    socket.on('close', () => {
      conn.ended = true;
      unwatch?.();
      // Before setup finishes there is no room yet: setup attaches, drains what was sent, then leaves.
      if (!room) return;
      if (conn.closed) leave();
      else if (!draining) void drain();
    });

    void (async () => {
      if (this.closing) return conn.close(CloseCode.ServerShutdown, 'server is shutting down');
      const parsed = parseDocumentName(request.documentName);
      if (!parsed)
        return conn.close(CloseCode.NotFound, `no such document: ${request.documentName.slice(0, 60)}`);
      // Read before the queries: an access change published while they run is applied to the watch below.
      const since = this.options.access.changesHeard();
      // Case variants of a name reach the one room of the repository; unknown ones are refused below.
      const ref = (await this.options.access.canonical(parsed)) ?? parsed;
      const permission = await this.options.access.permission(request.identity, ref);
      if (permission === 'none')
        return conn.close(CloseCode.Forbidden, 'this document is private or does not exist');
      if (conn.closed || this.closing) return;
      conn.canWrite =
        (permission === 'write' || permission === 'admin') && credentialCanWrite(request.identity);
      // From here on, access taken away closes (or demotes) this socket at once.
      unwatch = this.options.access.watch(
        {
          identity: request.identity,
          doc: ref,
          canWrite: conn.canWrite,
          close: (code, reason) => conn.close(code, reason),
          demote: () => {
            conn.canWrite = false;
            conn.send(encodePermissionDenied(DEMOTED_REASON));
          },
        },
        since,
      );
      if (conn.ended) unwatch();
      await this.ensureSeeded(ref);
      if (conn.closed || this.closing) return;
      const opened = await this.room(ref);
      if (conn.closed || this.closing) return this.scheduleEviction(opened);
      room = opened;
      this.cancelEviction(ref.name);
      room.attach(conn);
      void drain();
    })().catch((err) => {
      // The repository's notebook is too large or too deep to be a live document: say so, by name.
      if (err instanceof HttpError && err.status === 413)
        return conn.close(
          err.id === 'nesting_too_deep' ? CloseCode.NestingTooDeep : CloseCode.DocumentTooLarge,
          err.message.slice(0, 120),
        );
      log.error({ err, doc: request.documentName }, 'collab connection setup failed');
      conn.close(CloseCode.InternalError, 'internal error');
    });
  }

  /** Keeps a document loaded while server-side code reads or changes it; changes are stored and relayed. */
  async hold(named: DocumentRef): Promise<DocumentHold> {
    const ref = (await this.options.access.canonical(named)) ?? named;
    await this.ensureSeeded(ref);
    const documentName = ref.name;
    const room = await this.room(ref);
    this.cancelEviction(documentName);
    room.holds++;
    let released = false;
    return {
      doc: room.doc,
      release: () => {
        if (released) return;
        released = true;
        room.holds--;
        this.scheduleEviction(room);
      },
    };
  }

  /**
   * The repository was renamed: the room under the old name closes with DocumentMoved (naming the
   * new document) and what it stored, unsaved edits included, moves to the new name.
   */
  moveDocument(from: string, to: string): Promise<void> {
    return this.exclusively([from, to], async () => {
      await this.unload(from, CloseCode.DocumentMoved, movedReason(to));
      await this.options.store.rename(from, to);
    });
  }

  /** The repository was deleted: its room closes and its stored state goes, so the name starts afresh. */
  removeDocument(name: string): Promise<void> {
    return this.exclusively([name], async () => {
      // No final snapshot: it would be written only to be deleted.
      await this.unload(name, CloseCode.DocumentDeleted, 'this document was deleted', false);
      await this.options.store.remove(name);
    });
  }

  /**
   * Runs `operation` on the stored documents `names` with nothing else touching them: it starts
   * after earlier operations on them and after seeding and loading in progress, and seeding and
   * loading wait for it (`quiet`), so a reconnect cannot open a room between an unload and a rename.
   */
  private exclusively(names: string[], operation: () => Promise<void>): Promise<void> {
    const before = Promise.all(
      names
        .flatMap((name) => [this.pending.get(name), this.seeding.get(name)])
        .map((p) => p?.catch(() => {})),
    );
    const done = before.then(operation);
    const settled = done.catch(() => {});
    for (const name of names) this.pending.set(name, settled);
    void settled.then(() => {
      for (const name of names) if (this.pending.get(name) === settled) this.pending.delete(name);
    });
    return done;
  }

  /** Resolves once no operation holds the document; synchronous from then until the caller's next await. */
  private async quiet(name: string): Promise<void> {
    for (let p = this.pending.get(name); p; p = this.pending.get(name)) await p;
  }

  /** Closes the room, if loaded; resolves once its last writes are stored (unless `finalSnapshot` is false). */
  private async unload(name: string, code: CloseCode, reason: string, finalSnapshot = true): Promise<void> {
    this.cancelEviction(name);
    const room = this.rooms.get(name) ?? (await this.loading.get(name)?.catch(() => undefined));
    if (!room) return;
    if (this.rooms.get(name) === room) this.rooms.delete(name);
    await room.destroy(code, reason, { finalSnapshot });
  }

  /** A room whose store failed leaves at once: the next client loads what is durable, in a fresh room. */
  private dropBroken = (room: Room): void => {
    if (this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    this.cancelEviction(room.name);
    void this.exclusively([room.name], () =>
      room.destroy(CloseCode.InternalError, 'storage failed; reconnect', { finalSnapshot: false }),
    );
  };

  /** Rooms in memory, for health and tests. */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** Closes every socket with ServerShutdown; resolves once every room's final snapshot is stored. */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    const loading = await Promise.allSettled(this.loading.values());
    // Renames, deletes and unloads under way finish storing before the database closes.
    await Promise.allSettled(this.pending.values());
    const rooms = new Set(this.rooms.values());
    for (const r of loading) if (r.status === 'fulfilled') rooms.add(r.value);
    this.rooms.clear();
    await Promise.all(
      [...rooms].map((room) => room.destroy(CloseCode.ServerShutdown, 'server is shutting down')),
    );
  }

  /** Gives a document that was never opened the content of its repository, once. */
  private async ensureSeeded(ref: DocumentRef): Promise<void> {
    const seeder = this.options.seeder;
    if (!seeder) return;
    await this.quiet(ref.name);
    if (this.rooms.has(ref.name) || this.loading.has(ref.name)) return;
    let pending = this.seeding.get(ref.name);
    if (!pending) {
      // Rename and delete wait for this (`exclusively`), and no room loads meanwhile (callers await it first).
      pending = (async () => {
        if (!(await this.options.store.isEmpty(ref.name))) return;
        const state = await seeder.stateOf(ref);
        if (state && (await this.options.store.isEmpty(ref.name)) && !this.rooms.has(ref.name))
          await this.options.store.compact(ref.name, state, 0);
      })().finally(() => this.seeding.delete(ref.name));
      this.seeding.set(ref.name, pending);
    }
    return pending;
  }

  /** The document's room, loaded from the store on first use (once, however many ask at once). */
  private async room(ref: DocumentRef): Promise<Room> {
    // A rename, delete or the last writes of a room that left finish first.
    await this.quiet(ref.name);
    const loaded = this.rooms.get(ref.name);
    if (loaded && !loaded.destroyed && !loaded.broken) return loaded;
    let pending = this.loading.get(ref.name);
    if (!pending) {
      pending = (async () => {
        const room = await Room.open(ref.name, {
          store: this.options.store,
          decoder: this.options.decoder,
          log: this.options.log,
          docMaxBytes: this.options.docMaxBytes,
          onBroken: this.dropBroken,
        });
        this.rooms.set(ref.name, room);
        try {
          this.options.onLoad?.(ref, room.doc);
        } catch (err) {
          this.options.log.warn({ err, doc: ref.name }, 'repairing a loaded document failed');
        }
        return room;
      })().finally(() => this.loading.delete(ref.name));
      this.loading.set(ref.name, pending);
    }
    return pending;
  }

  private sendLimit(room: Room | null): number {
    return collabLimits.sendBufferSlackBytes + (room?.storedBytes ?? 0) * 2;
  }

  private scheduleEviction(room: Room): void {
    if (room.connections.size > 0 || room.holds > 0 || room.destroyed || this.closing) return;
    this.cancelEviction(room.name);
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.name);
      if (room.connections.size > 0 || room.holds > 0) return;
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
      // The next load of this name reads what this final snapshot stores, not a half-written state.
      void this.exclusively([room.name], () => room.destroy(CloseCode.ServerShutdown, 'room unloaded'));
    }, this.options.idleMs);
    timer.unref();
    this.idleTimers.set(room.name, timer);
  }

  private cancelEviction(name: string): void {
    const t = this.idleTimers.get(name);
    if (t) clearTimeout(t);
    this.idleTimers.delete(name);
  }
}

/**
 * What a frame costs against the unauthenticated quota. y-websocket clients echo everyone's
 * presence back, so a modest presence frame costs a flat amount; anything else costs its size.
 */
function quotaCost(frame: Uint8Array): number {
  return frame[0] === 1 && frame.length <= collabLimits.presenceFrameFlatBytes ? 64 : frame.length;
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
