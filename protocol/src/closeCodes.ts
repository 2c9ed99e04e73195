/** WebSocket close codes shared by server and client; 4000–4999 is the application range. */
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
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
