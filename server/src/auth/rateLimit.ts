import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { tooManyRequests } from '../errors.js';

/** Limits attempts per client address (log in, sign up): brute force gets a 429 with Retry-After. */
export function perAddressLimit(limit: number, windowMs: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(tooManyRequests('Too many attempts from this address, try again later')),
  });
}
