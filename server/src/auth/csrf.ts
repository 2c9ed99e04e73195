import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { forbidden } from '../errors.js';
import { CSRF_COOKIE, CSRF_HEADER, cookiesOf } from './cookies.js';
import { isOwnOrigin } from './origin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Cookie-authenticated changes must echo the CSRF cookie in a header (double-submit): another site
 * can make the browser send the cookie but cannot read it. Token requests carry no ambient
 * authority and are exempt. Requests with no credential (log in, sign up) must not come from
 * another origin.
 */
export function csrfProtection(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.identity.via === 'session') {
      const cookie = cookiesOf(req)[CSRF_COOKIE];
      const header = req.get(CSRF_HEADER);
      if (!cookie || !header || !same(cookie, header)) {
        return next(
          forbidden('Missing or invalid CSRF token (send the atrium_csrf cookie in X-CSRF-Token)', 'csrf'),
        );
      }
      return next();
    }
    if (req.identity.via === 'anonymous') {
      const origin = req.get('origin');
      if (origin && origin !== 'null' && !isOwnOrigin(origin, req.get('host'), undefined))
        return next(forbidden('Cross-site request refused', 'csrf'));
    }
    next();
  };
}
