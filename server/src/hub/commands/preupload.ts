import fs from 'node:fs';
import type { Services } from '../../services.js';
import { checkPath } from '../repoPaths.js';

/** Files above this size always go through LFS, as on the Hub. */
const LFS_THRESHOLD = 10 * 1024 * 1024;

/** Glob patterns that `.gitattributes` routes through LFS (`*.bin filter=lfs …`). */
function lfsPatterns(gitattributes: string): RegExp[] {
  const out: RegExp[] = [];
  for (const line of gitattributes.split('\n')) {
    const [pattern, ...attrs] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#') || !attrs.includes('filter=lfs')) continue;
    const source = pattern
      .split('**')
      .map((part) =>
        part
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]'),
      )
      .join('.*');
    out.push(new RegExp(pattern.includes('/') ? `^${source}$` : `(^|/)${source}$`));
  }
  return out;
}

/** `POST …/preupload/{rev}`: whether each file goes inline ("regular") or through LFS. */
export async function preupload(
  services: Services,
  commit: string,
  files: { path: string; size: number; sample?: string }[],
  gitAttributes: string | undefined,
) {
  let attributes = gitAttributes;
  if (attributes === undefined) {
    const entry = await services.hub.repos.entry(commit, '.gitattributes');
    if (entry && entry.size < 100_000)
      attributes = await fs.promises.readFile(services.hub.blobs.pathOf(entry.sha256), 'utf8');
  }
  const patterns = lfsPatterns(attributes ?? '');
  return {
    files: files.map((f) => {
      const path = checkPath(f.path);
      const binary = f.sample ? Buffer.from(f.sample, 'base64').includes(0) : false;
      const lfs = f.size > LFS_THRESHOLD || binary || patterns.some((p) => p.test(path));
      return { path, uploadMode: lfs ? 'lfs' : 'regular', shouldIgnore: false };
    }),
  };
}
