import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

export interface BodyDeadlineOptions {
  /** The body must have arrived this long after the headers… */
  timeoutMs: number;
  /** …plus one more second for every this many bytes received (so honest slow uploads go on). */
  minBytesPerSecond: number;
  log: Logger;
}

/** How often an incoming body is looked at: fine enough for a deadline of seconds. */
const TICK_MS = 250;

const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

/**
 * A deadline on receiving a request body, as Apache's mod_reqtimeout has it (`body=20,MinRate=500`):
 * the body must arrive within `timeoutMs` of the headers, extended by a second for every
 * `minBytesPerSecond` bytes received. A body that trickles in (a slow-loris upload holding a socket
 * and a parser open) gets 408 and its connection is closed. Only the request body is timed: long
 * downloads, SSE streams and WebSocket upgrades (which have no body) are never cut.
 */
export function bodyDeadline(options: BodyDeadlineOptions): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req.headers)) return next();
    const socket = req.socket;
    const startBytes = socket.bytesRead;
    let deadline = Date.now() + options.timeoutMs;
    let credited = 0;
    const timer = setInterval(() => {
      const received = socket.bytesRead - startBytes;
      deadline += ((received - credited) / options.minBytesPerSecond) * 1000;
      credited = received;
      if (Date.now() < deadline) return;
      stop();
      options.log.info({ method: req.method, path: req.path, received }, 'request body timed out');
      if (!res.headersSent)
        res
          .status(408)
          .set('Connection', 'close')
          .json({ error: 'The request body arrived too slowly and timed out', id: 'body_timeout' });
      // Whatever still trickles in is not read: the connection goes once the answer is out.
      res.once('finish', () => socket.destroy());
      if (res.writableFinished) socket.destroy();
    }, TICK_MS);
    timer.unref();
    const stop = () => clearInterval(timer);
    // 'close' also comes when the client goes away mid-body.
    req.once('end', stop);
    req.once('close', stop);
    next();
  };
}
