import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RepoType } from '@atrium/protocol';
import type { RequestHandler } from 'express';
import { rangeNotSatisfiable } from '../errors.js';
import type { Services } from '../services.js';
import { loadRepo, resolveRevision } from './commands/loadRepo.js';
import { fileAt } from './commands/openRepoFile.js';
import { entryNotFound } from './hubErrors.js';
import { pathProblem } from './repoPaths.js';

// Never text/html or anything a browser would run: repository files are other people's content.
const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
  '.js': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.yml': 'text/plain; charset=utf-8',
  '.ipynb': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** Parses a single `bytes=` range; undefined to serve everything, null when unsatisfiable. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined | null {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or other units: serving the whole file is allowed and simpler.
  if (!m) return header.includes(',') ? undefined : null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return null;
  return { start, end };
}

/**
 * `GET|HEAD /{prefix}/{id}/resolve|raw/{rev}/{path}`: the file's bytes straight from the blob
 * store (or a 302 to it for LFS files on S3 with presigned downloads), with the Hub's headers (ETag, X-Repo-Commit), Range and 404 codes.
 */
export function downloadHandler(services: Services, type: RepoType): RequestHandler {
  return async (req, res) => {
    const owner = String(req.params.owner);
    const name = String(req.params.name);
    const rawPath = req.params.path;
    const filePath = Array.isArray(rawPath) ? rawPath.join('/') : String(rawPath ?? '');
    const { repo } = await loadRepo(services, req.identity, type, owner, name, 'read');
    const commit = await resolveRevision(services, repo, String(req.params.rev));
    if (pathProblem(filePath)) throw entryNotFound(filePath);
    const file = await fileAt(services, repo, commit, filePath);
    const etag = `"${file.etag}"`;
    res.set({
      ETag: etag,
      'X-Repo-Commit': commit,
      'Accept-Ranges': 'bytes',
      'Content-Type': TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, max-age=0, must-revalidate',
    });
    if (file.entry.lfs) res.set({ 'X-Linked-Size': String(file.size), 'X-Linked-ETag': etag });
    if (req.query.download === 'true' || req.query.download === '1') {
      res.set(
        'Content-Disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(filePath))}`,
      );
    }
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    // Like the Hub: an LFS file's bytes come from the storage behind a short-lived link, when offered.
    const direct =
      file.entry.lfs && (await services.hub.blobs.downloadUrl(file.sha256, path.basename(filePath)));
    if (direct) {
      res.redirect(302, direct);
      return;
    }
    const range = parseRange(req.get('range'), file.size);
    if (range === null) {
      res.set('Content-Range', `bytes */${file.size}`);
      throw rangeNotSatisfiable(`Range ${req.get('range')} is outside the file's ${file.size} bytes`);
    }
    if (range) {
      res.status(206).set({
        'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`,
        'Content-Length': String(range.end - range.start + 1),
      });
    } else {
      res.set('Content-Length', String(file.size));
    }
    if (req.method === 'HEAD' || (range === undefined && file.size === 0)) {
      res.end();
      return;
    }
    // Opened outside the try: a blob that cannot be read (missing, the S3 GET refused) is an error the
    // error middleware answers, not a response left hanging.
    const body = await file.stream(range);
    try {
      await pipeline(body, res);
    } catch {
      // The client went away or the store failed mid-download: pipeline destroyed the response.
    }
  };
}
