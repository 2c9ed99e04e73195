import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A generated SVG avatar: a colour from the name's hash and its initial. No upload, no network. */
export const avatarHandler: RequestHandler = (req, res) => {
  const raw = String(req.params.name ?? '').replace(/\.svg$/, '');
  const hue = createHash('sha1').update(raw).digest()[0]! * (360 / 256);
  const initial = (raw[0] ?? '?').toUpperCase().replace(/[^A-Z0-9]/g, '?');
  res
    .type('image/svg+xml')
    .set('Cache-Control', 'public, max-age=86400')
    .send(
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
        `<rect width="64" height="64" rx="12" fill="hsl(${hue.toFixed(0)},65%,55%)"/>` +
        `<text x="32" y="42" font-family="sans-serif" font-size="30" text-anchor="middle" fill="#fff">${initial}</text></svg>`,
    );
};
