import { createHash } from 'node:crypto';

/** Git's blob id of some content, which the Hub reports as a file's `oid`. */
export const gitBlobOid = (content: Uint8Array): string =>
  createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

/** The Git LFS pointer file standing in for a large file in the repository. */
export const lfsPointer = (sha256: string, size: number): string =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;

/** Git's blob id of an LFS file is that of its pointer, as on the Hub. */
export const lfsGitOid = (sha256: string, size: number): string =>
  gitBlobOid(Buffer.from(lfsPointer(sha256, size)));
