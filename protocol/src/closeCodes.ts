/**
 * WebSocket close codes shared by server and client; 4000–4999 is the application range. 4400–4499
 * mean "the server decided, reconnecting cannot help" (y-websocket's default stops on them), except
 * `RETRYABLE_CLOSE_CODES`: see `isPermanentClose`.
 */
export const CloseCode = {
  /** The client may not read this document (private or unknown: both look the same). */
  Forbidden: 4403,
  /** The document does not exist. */
  NotFound: 4404,
  /** A frame was larger than the frame cap. */
  FrameTooLarge: 4413,
  /** The document would grow past its size cap. */
  DocumentTooLarge: 4414,
  /** A write nested shared types or JSON deeper than a live document allows. */
  NestingTooDeep: 4422,
  /** The frame could not be decoded, or the decoder ran out of its time or memory budget. */
  MalformedMessage: 4400,
  /** An unauthenticated socket sent more than it is allowed to. */
  UnauthenticatedQuota: 4401,
  /** The socket did not drain its send buffer in time. */
  SlowReader: 4408,
  /** The socket sent faster than the server can take in (its inbound queue overflowed). */
  Flooding: 4429,
  /** The server is shutting down; reconnect later. */
  ServerShutdown: 4503,
  /** An internal error closed this socket; the room lives on. */
  InternalError: 4500,
  /** Access was taken away while connected: removed as collaborator or member, made private, token revoked. */
  AccessRevoked: 4405,
  /** The session this socket was opened with ended (the user signed out). */
  SessionEnded: 4419,
  /** The repository was deleted. */
  DocumentDeleted: 4410,
  /** The repository was renamed or transferred: the reason names the new document (`movedReason`). */
  DocumentMoved: 4421,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Closes for this client's pace or one oversized frame, not its right to the document: a slow
 * reader, a flood, a frame too large. A client reconnects after them, backing off.
 */
export const RETRYABLE_CLOSE_CODES: readonly number[] = [
  CloseCode.SlowReader,
  CloseCode.Flooding,
  CloseCode.FrameTooLarge,
];

/** Whether a close code is one of the retryable ones: reconnect, backing off. */
export const isRetryableClose = (code: number): boolean => RETRYABLE_CLOSE_CODES.includes(code);

/** Whether a close code means "do not reconnect": 4400–4499 except the retryable ones. */
export const isPermanentClose = (code: number): boolean =>
  code >= 4400 && code < 4500 && !isRetryableClose(code);

const MOVED_PREFIX = 'moved to ';

/** Close reason of `DocumentMoved`: where the document lives now (`notebooks/<owner>/<name>`). */
export const movedReason = (documentName: string): string => `${MOVED_PREFIX}${documentName}`;

/** The new document name a `DocumentMoved` reason carries, or null. */
export const movedTo = (reason: string): string | null =>
  reason.startsWith(MOVED_PREFIX) ? reason.slice(MOVED_PREFIX.length) : null;

/**
 * Server-sent streams (kernel execute, Space logs) have no close code: the server ends them on
 * purpose with one last event of this name, data `StreamClose`.
 */
export const STREAM_CLOSE_EVENT = 'atrium_close';

/** Data of the `STREAM_CLOSE_EVENT`: the same codes as WebSockets, and why. */
export interface StreamClose {
  code: CloseCode;
  reason: string;
}
