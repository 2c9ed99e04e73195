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
  return ({ event, id, data }) => {
    if (res.writableEnded || res.destroyed) return;
    res.write(
      `${event === undefined ? '' : `event: ${event}\n`}${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`,
    );
  };
}
