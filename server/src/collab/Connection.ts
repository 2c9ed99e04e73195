import { CloseCode, type CollabPresenceUser } from '@atrium/protocol';
import type { Identity } from '../auth/Identity.js';
import { collabLimits } from './limits.js';
import { OPEN, type WebSocketLike } from './WebSocketLike.js';

/** One client socket in a room: who it is, what it may do, and its inbound queue. */
export class Connection {
  /** Whether this client's updates are applied (writers) or refused (viewers). */
  canWrite = false;
  /** Stamped on every presence state this client publishes. */
  readonly user: CollabPresenceUser;
  /** Awareness client ids this socket speaks for; nobody else may use them. */
  readonly presenceIds = new Set<number>();
  /** Frames received but not yet handled, in order. */
  readonly inbox: Uint8Array[] = [];
  inboxBytes = 0;
  /** Set when we closed the socket: nothing more from it is handled. */
  closed = false;
  /** Set when the peer hung up: what it already sent is still handled, then it leaves the room. */
  ended = false;
  private windowStart = Date.now();
  private windowBytes = 0;

  constructor(
    readonly socket: WebSocketLike,
    readonly identity: Identity,
    user: CollabPresenceUser,
    private readonly sendLimit: () => number,
  ) {
    this.user = user;
  }

  /** Sends a shared, already-encoded message; a reader too far behind is dropped, never buffered without end. */
  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.sendLimit()) {
      this.close(CloseCode.SlowReader, 'send buffer full: the client is not reading fast enough');
      return;
    }
    this.socket.send(message);
  }

  /** Counts bytes against the unauthenticated quota; false once it is exceeded. */
  withinQuota(bytes: number): boolean {
    if (this.identity.user) return true;
    const now = Date.now();
    if (now - this.windowStart > collabLimits.anonymousWindowMs) {
      this.windowStart = now;
      this.windowBytes = 0;
    }
    this.windowBytes += bytes;
    return this.windowBytes <= collabLimits.anonymousBytesPerWindow;
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    try {
      // Close reasons are limited to 123 bytes by the WebSocket protocol.
      this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
    } catch {
      // Already gone: nothing to tell.
    }
    const terminate = (this.socket as { terminate?: () => void }).terminate;
    // A slow reader never drains to read the close frame; cut it loose soon after.
    if (terminate) setTimeout(() => terminate.call(this.socket), 2_000).unref();
  }
}
