import type { ErrorBody } from '@atrium/protocol';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from './logger.js';

/** An error meant for the client: its message is shown as is, with its status and stable id. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Stable machine-readable id clients can branch on. */
    readonly id: string,
    /** Extra headers, such as the Hub's `X-Error-Code`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, id = 'bad_request') => new HttpError(400, message, id);
export const unauthorized = (message = 'Authentication required', id = 'unauthorized') =>
  new HttpError(401, message, id);
export const forbidden = (message = 'You do not have permission to do this', id = 'forbidden') =>
  new HttpError(403, message, id);
export const notFound = (message = 'Not found', id = 'not_found', headers: Record<string, string> = {}) =>
  new HttpError(404, message, id, headers);
export const conflict = (message: string, id = 'conflict') => new HttpError(409, message, id);
export const payloadTooLarge = (message = 'Request body is too large', id = 'payload_too_large') =>
  new HttpError(413, message, id);
export const rangeNotSatisfiable = (message = 'Range not satisfiable') =>
  new HttpError(416, message, 'range_not_satisfiable');
export const tooManyRequests = (message = 'Too many requests, try again later') =>
  new HttpError(429, message, 'rate_limited');
export const unavailable = (message: string, id = 'unavailable') => new HttpError(503, message, id);

/** Answers routes nobody declared. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`No route for ${req.method} ${req.path}`, 'route_not_found'));
};

/** Body-parser and friends mark client mistakes with `status`/`type`; map them to our errors. */
function fromFrameworkError(err: unknown): HttpError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: number; type?: string; message?: string };
  if (e.type === 'entity.too.large') return payloadTooLarge();
  if (e.type === 'entity.parse.failed') return badRequest('Malformed JSON body', 'malformed_json');
  if (e.type === 'request.aborted') return badRequest('Request aborted', 'request_aborted');
  if (e.type === 'request.size.invalid')
    return badRequest('Request size did not match Content-Length', 'bad_length');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new HttpError(415, e.message ?? 'Unsupported encoding', 'unsupported_encoding');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpError(e.status, e.message ?? 'Bad request', 'bad_request');
  }
  return null;
}

/** The one place errors become responses: client errors as `{error}`, the rest as a logged 500. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof HttpError ? err : fromFrameworkError(err);
    if (res.headersSent) {
      log.warn({ err, path: req.path }, 'error after headers were sent');
      res.destroy();
      return;
    }
    if (known) {
      const body: ErrorBody = { error: known.message, id: known.id };
      res.status(known.status).set(known.headers).json(body);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'Internal server error', id: 'internal' } satisfies ErrorBody);
  };
}
