import type { Response } from 'express';
import { openEventStream } from '../../http/eventStream.js';

/** Where an event's messages go: an open SSE response, or nothing yet (then they are buffered). */
export interface EventSink {
  /** Writes one SSE message; `event` undefined means the default "message" event. */
  send(event: string | undefined, data: unknown): void;
  end(): void;
}

/**
 * Opens a Server-Sent Events response. Heartbeats are real `data:` messages because
 * @gradio/client JSON-parses every message it gets, so SSE comments would break it.
 */
export function openSse(res: Response, heartbeat: () => [string | undefined, unknown], everyMs = 15_000) {
  const write = openEventStream(res);
  let open = true;
  const sink: EventSink = {
    send(event, data) {
      if (!open) return;
      write({ event, data });
    },
    end() {
      if (!open) return;
      open = false;
      clearInterval(timer);
      res.end();
    },
  };
  const timer = setInterval(() => sink.send(...heartbeat()), everyMs);
  timer.unref();
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      open = false;
      clearInterval(timer);
      resolve();
    }),
  );
  return { sink, closed };
}
