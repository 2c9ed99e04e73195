import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import { atLeast, permissionOn } from '../../hub/access.js';
import type { Services } from '../../services.js';

/** How long an app request waits for a waking or rebuilding app before the Gradio API answers. */
const WAKE_WAIT_MS = 120_000;

/** Headers of a static Space's files: an opaque origin (no Atrium cookies or API), frameable. */
const STATIC_HEADERS = {
  'Content-Security-Policy': 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/**
 * In front of the app URL (`/spaces/:owner/:name/app`): a request is a visit (it keeps the Space
 * awake, or wakes it and waits for it), and a static Space's files are answered here. Everything
 * else goes on to the Gradio-compatible API.
 */
export function spaceAppGate(services: Services) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const repo = await services.hub.repos.find('space', String(req.params.owner), String(req.params.name));
    // An app registered without a repository (development, tests) is the Gradio router's business.
    if (!repo) return next();
    if (!atLeast(await permissionOn(services, req.identity, repo), 'read'))
      return void res.status(404).json({ error: 'Repository not found', id: 'repo_not_found' });
    const runtimes = services.spaceRuntimes;
    await runtimes.visit(repo);
    await runtimes.settled(repo, WAKE_WAIT_MS);
    const site = runtimes.staticSite(repo);
    if (!site) return next();
    if (!site.sha) {
      res.status(503).set(STATIC_HEADERS);
      return void res.json({ error: `This Space is not running (${site.stage})`, stage: site.stage });
    }
    const sha = site.sha;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.status(405).json({ error: 'Static Spaces only answer GET' });
    if (req.path === '/' && !req.originalUrl.split('?')[0]?.endsWith('/')) {
      return void res.redirect(301, `${req.originalUrl.split('?')[0]}/`);
    }
    let file: string;
    try {
      file = decodeURIComponent(req.path).replace(/^\/+/, '');
    } catch {
      return void res.status(400).json({ error: 'Bad path' });
    }
    if (file === '' || file.endsWith('/')) file += file === '' ? site.appFile : 'index.html';
    const entry = await services.hub.repos.entry(sha, file);
    if (!entry) return void res.status(404).set(STATIC_HEADERS).type('text/plain').send(`${file} not found`);
    res.set({ ...STATIC_HEADERS, ETag: `"${entry.gitOid}"` });
    res.type(path.extname(file) || 'application/octet-stream');
    if (req.headers['if-none-match'] === `"${entry.gitOid}"`) return void res.status(304).end();
    res.set('Content-Length', String(entry.size));
    if (req.method === 'HEAD') return void res.end();
    // A missing blob rejects here, before any byte: the error middleware answers.
    const blob = await services.hub.blobs.read(entry.sha256);
    try {
      // pipeline destroys the blob's stream when the client goes (pipe left it open).
      await pipeline(blob, res);
    } catch {
      // The client went away, or the blob failed mid-response (the response is destroyed): nothing to answer.
    }
  };
}
