import type { RequestHandler } from 'express';

/** Headers on every response: browsers never guess a type, and other sites learn no Atrium path. */
export const baseSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
  next();
};

/**
 * The web app's Content-Security-Policy: its own scripts only (no inline script, no eval: Vega
 * charts use vega-interpreter), styles inline too (Monaco, CodeMirror and React set them at run
 * time), images also from https sites (cards link them), WebSockets and workers from here.
 * HTML from users is sanitized as well (client/src/safeHtml); this is what holds if some slips through.
 */
const APP_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

/** The embed page (`/embed/spaces/:owner/:name`) is made to be framed by other sites. */
const isEmbedPage = (path: string) => path.startsWith('/embed/');

/** Headers of a page of the web app: its CSP, and no framing by other sites except for embed pages. */
export function appPageHeaders(path: string): Record<string, string> {
  if (isEmbedPage(path))
    return { 'Content-Security-Policy': [...APP_POLICY, 'frame-ancestors *'].join('; ') };
  return {
    'Content-Security-Policy': [...APP_POLICY, "frame-ancestors 'none'"].join('; '),
    'X-Frame-Options': 'DENY',
  };
}
