import type { RequestHandler } from 'express';

const HUB_PATH =
  /^\/(api\/(models|spaces|notebooks)(\/|$)|((spaces|notebooks)\/)?[^/]+\/[^/]+\/(resolve|raw)\/)/;

const EXPOSED = [
  'ETag',
  'X-Repo-Commit',
  'X-Error-Code',
  'X-Linked-Size',
  'X-Linked-ETag',
  'Content-Range',
  'Content-Length',
  'Accept-Ranges',
  'Link',
  'X-Total-Count',
].join(', ');

/**
 * Lets pages on other origins (transformers.js, notebooks, Spaces) use the Hub API and downloads.
 * Cookies are never honoured cross-site (`*` forbids credentials); a Bearer token must be explicit.
 */
export const hubCors: RequestHandler = (req, res, next) => {
  if (!HUB_PATH.test(req.path)) return next();
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSED,
  });
  if (req.method === 'OPTIONS') {
    res.set({
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Range, Content-Type, X-Request-Id, If-None-Match',
      'Access-Control-Max-Age': '86400',
    });
    res.status(204).end();
    return;
  }
  next();
};
