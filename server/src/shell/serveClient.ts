import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler, type Router } from 'express';
import { appPageHeaders } from '../http/securityHeaders.js';

/** Where the built web client lives: the configured folder, or @atrium/client's dist. */
export function findClientDir(configured: string | undefined): string | undefined {
  if (configured) return fs.existsSync(path.join(configured, 'index.html')) ? configured : undefined;
  try {
    const pkg = createRequire(import.meta.url).resolve('@atrium/client/package.json');
    const dir = path.join(path.dirname(pkg), 'dist');
    return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client's hashed bundles, cached forever. Mounted ahead of authentication: they are the same for
 * everyone, so no session lookup is spent on them ('assets' is a reserved name, so no repo shadows it).
 */
export function serveClientAssets(dir: string): Router {
  const router = express.Router();
  // The bundles shrink about fourfold gzipped; only the web client's files are compressed, never API streams.
  router.use(webCompression);
  router.use(express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  return router;
}

const webCompression = compression({ threshold: 1024 });

/** Serves the single-page app after every route: its static files, and index.html for every other page. */
export function serveClient(dir: string): Router {
  const router = express.Router();
  router.use(webCompression);
  router.use(
    express.static(dir, {
      index: false,
      maxAge: '1h',
      // /index.html asked for by name is the app page too: the same policy.
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.set(appPageHeaders('/'));
      },
    }),
  );
  const indexHtml = freshFile(path.join(dir, 'index.html'));
  const spa: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!req.accepts('html')) return next();
    res.type('html').set('Cache-Control', 'no-cache').set(appPageHeaders(req.path)).send(indexHtml());
  };
  router.use(spa);
  return router;
}

/**
 * A file kept in memory and read again when it changes on disk: rebuilding the client while the
 * server runs must not leave it handing out an index.html whose hashed bundle no longer exists.
 */
function freshFile(file: string): () => Buffer {
  let content = fs.readFileSync(file);
  let mtime = fs.statSync(file).mtimeMs;
  return () => {
    try {
      const now = fs.statSync(file).mtimeMs;
      if (now !== mtime) {
        content = fs.readFileSync(file);
        mtime = now;
      }
    } catch {
      // Mid-rebuild the file may be briefly missing: keep serving the last good copy.
    }
    return content;
  };
}
