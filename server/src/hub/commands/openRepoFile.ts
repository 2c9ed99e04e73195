import type { Readable } from 'node:stream';
import type { RepoType } from '@atrium/protocol';
import type { Services } from '../../services.js';
import { splitRepoId } from '../access.js';
import type { ByteRange } from '../blobs/BlobStore.js';
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
  /** The bytes from the blob store, optionally a range (inclusive `end`, as in HTTP Range). */
  stream: (range?: ByteRange) => Promise<Readable>;
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
  return {
    repo,
    commit,
    entry,
    size: entry.size,
    sha256: entry.sha256,
    etag: entry.lfs ? entry.sha256 : entry.gitOid,
    stream: (range) => services.hub.blobs.read(entry.sha256, range),
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
