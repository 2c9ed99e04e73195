/** The part of a WebSocket the room core uses, so `ws` sockets and test doubles both fit. */
export interface WebSocketLike {
  /** 1 = open; anything else means sends are dropped. */
  readonly readyState: number;
  /** Bytes queued for sending but not yet handed to the network: how far behind this reader is. */
  readonly bufferedAmount: number;
  send(data: Uint8Array, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export const OPEN = 1;
