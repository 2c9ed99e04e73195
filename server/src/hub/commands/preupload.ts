import type { Services } from '../../services.js';
import { lfsPatterns, matchCost } from '../lfsPatterns.js';
import { checkPath } from '../repoPaths.js';

/** Files above this size always go through LFS, as on the Hub. */
const LFS_THRESHOLD = 10 * 1024 * 1024;
/** Matching steps (paths × patterns) done in place; more go to the task worker (~20 ms of work). */
const INLINE_MATCH_STEPS = 2_000_000;

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
      attributes = (await services.hub.blobs.readBuffer(entry.sha256)).toString('utf8');
  }
  const paths = files.map((f) => checkPath(f.path));
  const input = { attributes: attributes ?? '', paths };
  const byPattern = await services.work.run('uploadModes', input, {
    inline: matchCost(lfsPatterns(input.attributes), paths) <= INLINE_MATCH_STEPS,
    budgetMs: 10_000,
  });
  return {
    files: files.map((f, i) => {
      const binary = f.sample ? Buffer.from(f.sample, 'base64').includes(0) : false;
      const lfs = f.size > LFS_THRESHOLD || binary || byPattern[i] === true;
      return { path: paths[i] as string, uploadMode: lfs ? 'lfs' : 'regular', shouldIgnore: false };
    }),
  };
}
