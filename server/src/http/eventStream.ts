import { CloseCode, STREAM_CLOSE_EVENT, type StreamClose } from '@atrium/protocol';
import type { Response } from 'express';

export interface EventStreamMessage {
  /** The SSE event name; omitted means the default "message" event. */
  event?: string | undefined;
  id?: string | undefined;
  data: unknown;
}

/**
 * What one stream may hold unread before the server gives up on its reader: a client that stops
 * reading must not make the server keep a run's log or a flood of output for it in memory. Twice a
 * cell's whole output allowance (32 MiB in the runner), so one large display never trips it.
 */
export const EVENT_STREAM_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * How long a reader closed for being slow has to read the backlog and the close event before the
 * connection is cut (as `collab/Connection.ts` does for WebSockets): otherwise a client that never
 * reads again pins up to 64 MiB for as long as it keeps the connection open. Longer than the
 * WebSocket's 2 s: reading a 64 MiB backlog took close to a second on a busy 2-core machine.
 */
export const SLOW_READER_GRACE_MS = 5_000;

/**
 * Opens a Server-Sent Events response (kernel output, Space logs, the Gradio queue): headers that
 * stop caches and proxies from buffering, flushed at once, Nagle off so each message leaves now.
 * Returns a writer that is a no-op once the response has ended.
 */
export function openEventStream(res: Response): (message: EventStreamMessage) => void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  let corked = false;
  let closing = false;
  const write = ({ event, id, data }: EventStreamMessage) => {
    if (res.writableEnded || res.destroyed) return;
    // Messages sent in one tick leave in one write: with Nagle off, a burst of output otherwise
    // costs a system call per message.
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(() => {
        corked = false;
        res.uncork();
      });
    }
    res.write(
      `${event === undefined ? '' : `event: ${event}\n`}${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`,
    );
    // A reader this far behind is closed with the WebSocket's code for it (retryable: a resumable
    // stream picks up from its Last-Event-ID).
    if (!closing && res.writableLength > EVENT_STREAM_MAX_BUFFERED_BYTES) {
      closing = true;
      closeEventStream(res, write, CloseCode.SlowReader, 'the stream was not read fast enough');
      const cut = setTimeout(() => res.destroy(), SLOW_READER_GRACE_MS).unref();
      // Read in time: the connection may carry the next request (keep-alive), so it is left alone.
      res.once('finish', () => clearTimeout(cut));
    }
  };
  return write;
}

/**
 * Ends an event stream on purpose (access taken away, repository moved): streams have no close code,
 * so the last event, `STREAM_CLOSE_EVENT`, carries it with the reason.
 */
export function closeEventStream(
  res: Response,
  write: (message: EventStreamMessage) => void,
  code: CloseCode,
  reason: string,
): void {
  write({ event: STREAM_CLOSE_EVENT, data: { code, reason } satisfies StreamClose });
  res.end();
}
