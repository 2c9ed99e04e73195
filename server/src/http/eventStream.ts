import { type CloseCode, STREAM_CLOSE_EVENT, type StreamClose } from '@atrium/protocol';
import type { Response } from 'express';

export interface EventStreamMessage {
  /** The SSE event name; omitted means the default "message" event. */
  event?: string | undefined;
  id?: string | undefined;
  data: unknown;
}

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
  return ({ event, id, data }) => {
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
  };
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
