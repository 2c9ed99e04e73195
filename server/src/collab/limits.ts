/** Caps that keep one client from hurting the others; each is named where it is enforced. */
export const collabLimits = {
  /** Largest WebSocket frame accepted (ws maxPayload). */
  maxFrameBytes: 16 * 1024 * 1024,
  /** What an unauthenticated socket may send per window (presence and sync requests only). */
  anonymousBytesPerWindow: 256 * 1024,
  anonymousWindowMs: 60_000,
  /** Presence frames up to this size count 64 bytes against that quota (they are mostly echoes). */
  presenceFrameFlatBytes: 64 * 1024,
  /** Inbound bytes waiting for their turn on one socket before it is dropped as flooding. */
  maxQueuedBytes: 48 * 1024 * 1024,
  /** A reader may lag one whole document plus this much before it is dropped. */
  sendBufferSlackBytes: 8 * 1024 * 1024,
  /** Awareness changes are gathered this long and sent once to everyone. */
  presenceBatchMs: 20,
  /** Largest presence state (JSON) one client may publish. */
  maxPresenceStateBytes: 16 * 1024,
  /** Entries one awareness update may carry (clients echo everyone's presence). */
  maxPresenceEntries: 100_000,
  /** Awareness client ids one socket may speak for (one per tab/doc binding). */
  maxPresenceIdsPerSocket: 4,
  /** Updates up to this size are decoded on the event loop under a watchdog; larger ones in the worker. */
  inlineDecodeMaxBytes: 64 * 1024,
  /**
   * Watchdog budget of an inline decode, in wall time: a 64 KiB update decodes in about a
   * millisecond, but a busy machine may not schedule us for tens of them; a spin stalls at most this.
   * An update that overran it while the event loop got less than half of it in CPU was not spinning:
   * it goes to the worker, whose budget counts CPU.
   */
  inlineDecodeMs: 500,
  /**
   * Budget for decoding an untrusted update in the worker, in the worker thread's CPU time (Linux;
   * wall time elsewhere): base plus per-byte share. Dense updates (nested maps: ~11 bytes a struct)
   * decode at ~0.5 s/MiB; the budget only has to stop a decoder that spins, so it leaves room.
   */
  decodeBaseMs: 2_000,
  decodeMsPerMiB: 4_000,
  /**
   * However starved the worker is, a decode ends after this many times its budget in wall time: under
   * load 12 an honest update's decode waited seconds for the CPU; this only catches a machine so
   * overloaded that no decode would finish.
   */
  decodeWallFactor: 15,
  /**
   * How long a fresh decoding worker may take to load (after one was killed for overrunning): not part
   * of any update's budget, since a loaded machine takes seconds to boot a thread and that is not the
   * writer's doing; only a worker that never comes up fails its update.
   */
  decodeWorkerBootMs: 60_000,
  /** Memory budget of the decoding worker. */
  decodeWorkerHeapMb: 512,
  /**
   * Deepest nesting of shared types and JSON values a live document may reach (a notebook's own
   * structure takes 4 levels before its outputs' JSON): deeper writes are refused when written, so
   * export, save and snapshots never overflow the stack. Imports are held to the same limit.
   */
  maxNestingDepth: 100,
  /** Compact the log into a snapshot once it holds this many updates or bytes. */
  compactAfterUpdates: 500,
  compactAfterBytes: 4 * 1024 * 1024,
} as const;
