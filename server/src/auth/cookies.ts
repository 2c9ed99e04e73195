import { parse as parseCookieHeader, serialize } from 'cookie';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'atrium_session';
/** Readable by the page's script so it can echo it in `X-CSRF-Token` (double-submit). */
export const CSRF_COOKIE = 'atrium_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** Cookies of a request, parsed once. */
export function cookiesOf(req: Pick<Request, 'headers'> & { cookies?: Record<string, string | undefined> }) {
  if (!req.cookies) req.cookies = req.headers.cookie ? parseCookieHeader(req.headers.cookie) : {};
  return req.cookies;
}

/** Secure cookies behind https: either the request came over TLS (via a trusted proxy) or the public URL is https. */
const isSecure = (req: Request, publicUrl: string | undefined) =>
  req.secure || (publicUrl?.startsWith('https://') ?? false);

export function setSessionCookies(
  res: Response,
  req: Request,
  publicUrl: string | undefined,
  session: string,
  csrf: string,
) {
  const secure = isSecure(req, publicUrl);
  const maxAge = SESSION_TTL_MS / 1000;
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge }),
  );
  res.append(
    'Set-Cookie',
    serialize(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'lax', secure, path: '/', maxAge }),
  );
}

export function clearSessionCookies(res: Response, req: Request, publicUrl: string | undefined) {
  const secure = isSecure(req, publicUrl);
  for (const name of [SESSION_COOKIE, CSRF_COOKIE]) {
    res.append(
      'Set-Cookie',
      serialize(name, '', {
        httpOnly: name === SESSION_COOKIE,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: 0,
      }),
    );
  }
}
