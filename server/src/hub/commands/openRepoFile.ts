import fs from 'node:fs';
import type { RepoType } from '@atrium/protocol';
import type { Services } from '../../services.js';
import { splitRepoId } from '../access.js';
import { entryNotFound, repoNotFound, revisionNotFound } from '../hubErrors.js';
import type { FileEntry, RepoRecord } from '../RepoStore.js';

/** A file of a repository at a revision, ready to stream from the blob store. */
export interface RepoFile {
  repo: RepoRecord;
  /** The commit the revision resolved to (the Hub's `X-Repo-Commit`). */
  commit: string;
  entry: FileEntry;
  size: number;
  sha256: string;
  /** The Hub's ETag: the sha256 for LFS files, the git blob id otherwise (unquoted). */
  etag: string;
  /** Absolute path of the blob on disk (read-only: blobs are shared between repositories). */
  blobPath: string;
  /** The bytes, optionally a range (inclusive `end`, as in fs.createReadStream). */
  stream: (range?: { start: number; end: number }) => fs.ReadStream;
}

/** Finds a file in a loaded repository at a commit. */
export async function fileAt(
  services: Services,
  repo: RepoRecord,
  commit: string,
  path: string,
): Promise<RepoFile> {
  const entry = await services.hub.repos.entry(commit, path);
  if (!entry) throw entryNotFound(path);
  const blobPath = services.hub.blobs.pathOf(entry.sha256);
  return {
    repo,
    commit,
    entry,
    size: entry.size,
    sha256: entry.sha256,
    etag: entry.lfs ? entry.sha256 : entry.gitOid,
    blobPath,
    // 1 MiB reads: a sixteenth of the default's syscalls and chunk hand-offs for big model files.
    stream: (range) => fs.createReadStream(blobPath, { ...range, highWaterMark: 1024 * 1024 }),
  };
}

/**
 * Opens `path` of repository `type`/`id` at `rev` (branch, `HEAD` or commit id) for server code such
 * as sandboxes and collaboration. It does not check rights: call repoPermission first.
 * Missing pieces are 404s carrying the Hub's X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound).
 */
export async function openRepoFile(
  services: Services,
  type: RepoType,
  id: string,
  rev: string,
  path: string,
): Promise<RepoFile> {
  const parts = splitRepoId(id);
  const repo = parts && (await services.hub.repos.find(type, parts.owner, parts.name));
  if (!repo) throw repoNotFound(id);
  const commit = await services.hub.repos.resolveRevision(repo.id, rev);
  if (!commit) throw revisionNotFound(rev);
  return fileAt(services, repo, commit, path);
}
