import type { Request, RequestHandler } from 'express';
import { badRequest, payloadTooLarge } from '../errors.js';

/**
 * A JSON body kept as the chunks it arrived in (`req.body` is a Buffer[]), for routes that parse
 * it in the task worker: joining 50 MB into one buffer is itself a copy the event loop need not
 * make. Over `limitBytes` it is refused with a 413 saying what and how much, without reading on.
 */
export function rawJsonBody(limitBytes: number, what: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('application/json')) {
      req.body = [];
      return next();
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) return next(tooLarge(req, limitBytes, what));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onError);
      if (err) return next(err);
      req.body = chunks;
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) done(tooLarge(req, limitBytes, what));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onAborted = () => done(badRequest('Request aborted', 'request_aborted'));
    const onError = (err: Error) => done(err);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onError);
  };
}

function tooLarge(req: Request, limitBytes: number, what: string) {
  // Stop reading: the answer goes out now, the rest of the body is not worth receiving.
  req.pause();
  return payloadTooLarge(`${what} is larger than ${limitBytes / (1024 * 1024)} MB`, 'body_too_large');
}

/** The chunks `rawJsonBody` kept (none when the request had no JSON body). */
export const rawChunksOf = (body: unknown): Buffer[] => (Array.isArray(body) ? (body as Buffer[]) : []);

/** Total bytes of a body's chunks. */
export const byteLength = (chunks: Uint8Array[]): number => chunks.reduce((n, c) => n + c.length, 0);

/** One buffer of a body's chunks (in the worker, or in place for small bodies). */
export function joinChunks(chunks: Uint8Array[]): Buffer {
  const [only] = chunks;
  if (chunks.length === 1 && only) return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  return Buffer.concat(chunks);
}
