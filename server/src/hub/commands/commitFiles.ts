import { Readable } from 'node:stream';
import type { RepoType } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { badRequest, conflict } from '../../errors.js';
import { checkStorageQuota } from '../../quota/storageQuota.js';
import type { Services } from '../../services.js';
import { splitRepoId } from '../access.js';
import { boundedStores } from '../boundedStores.js';
import { gitBlobOid, lfsGitOid } from '../gitOid.js';
import { entryNotFound, repoNotFound, revisionNotFound } from '../hubErrors.js';
import type { FileEntry, RepoRecord } from '../RepoStore.js';
import { checkPath } from '../repoPaths.js';

/** What one commit does, once every file's bytes are already in the blob store. */
export interface CommitPlan {
  branch: string;
  title: string;
  description: string;
  /** The Hub's `parentCommit`: when set, the branch must still point there (else 409). */
  parentCommit?: string;
  puts: FileEntry[];
  deleteFiles: string[];
  deleteFolders: string[];
}

/** Stores a small file's bytes and describes it as a (non-LFS) entry. */
export async function storeSmallFile(services: Services, path: string, content: Buffer): Promise<FileEntry> {
  const { sha256, size } = await services.hub.blobs.put(content);
  return { path: checkPath(path), sha256, size, gitOid: gitBlobOid(content), lfs: false };
}

/** Files up to this size are hashed and written in one go; larger ones in steps between other work. */
const SMALL_FILE_BYTES = 1024 * 1024;

/**
 * Stores a file of any size without holding the event loop: a large one is hashed as it streams to
 * disk in 1 MiB steps, and its git oid comes from the task worker that decoded it.
 */
export async function storeFile(
  services: Services,
  path: string,
  content: Uint8Array,
  gitOid?: string,
): Promise<FileEntry> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (bytes.length <= SMALL_FILE_BYTES || gitOid === undefined) return storeSmallFile(services, path, bytes);
  const checked = checkPath(path);
  const steps = function* () {
    for (let at = 0; at < bytes.length; at += SMALL_FILE_BYTES)
      yield bytes.subarray(at, at + SMALL_FILE_BYTES);
  };
  const { sha256, size } = await services.hub.blobs.putStream(Readable.from(steps()));
  return { path: checked, sha256, size, gitOid, lfs: false };
}

/** Describes an already uploaded LFS object as an entry; 400 when the upload never completed. */
export async function lfsEntry(
  services: Services,
  path: string,
  sha256: string,
  size: number,
): Promise<FileEntry> {
  checkPath(path);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw badRequest(`Invalid LFS oid for ${path}`, 'invalid_oid');
  const stored = await services.hub.blobs.claim(sha256);
  if (!stored) throw badRequest(`LFS object ${sha256} for ${path} was not uploaded`, 'lfs_object_missing');
  if (stored.size !== size)
    throw badRequest(`LFS object ${sha256} has ${stored.size} bytes, not ${size}`, 'lfs_size_mismatch');
  return { path, sha256, size, gitOid: lfsGitOid(sha256, size), lfs: true };
}

/** Records a commit on a branch, all or nothing; maps refusals to the Hub's status codes. */
export async function applyCommit(
  services: Services,
  repo: RepoRecord,
  author: AccountRecord,
  plan: CommitPlan,
) {
  const seen = new Set<string>();
  for (const p of [...plan.puts.map((e) => e.path), ...plan.deleteFiles]) {
    if (seen.has(p)) throw badRequest(`Path "${p}" appears twice in one commit`, 'duplicate_path');
    seen.add(p);
  }
  for (const f of plan.deleteFolders) checkPath(f, 'folder');
  await checkStorageQuota(services, repo, plan.puts);
  const outcome = await services.hub.repos.commit({
    repoId: repo.id,
    branch: plan.branch,
    expectedHead: plan.parentCommit,
    authorId: author.id,
    authorName: author.name,
    title: plan.title.trim() || 'Update files',
    message: plan.description,
    createdAt: new Date().toISOString(),
    changes: { put: plan.puts, deleteFiles: plan.deleteFiles, deleteFolders: plan.deleteFolders },
  });
  if (outcome.ok) return { commitOid: outcome.oid };
  switch (outcome.reason) {
    case 'stale_parent':
      throw conflict(
        `parentCommit ${plan.parentCommit} is not the head of ${plan.branch} (${outcome.head}); fetch and retry`,
        'stale_parent_commit',
      );
    case 'no_branch':
      throw revisionNotFound(plan.branch);
    case 'missing_path':
      throw entryNotFound(outcome.path);
    case 'path_conflict':
      throw badRequest(`Path "${outcome.path}" would be both a file and a folder`, 'path_conflict');
  }
}

export interface CommitFilesInput {
  type: RepoType;
  /** `owner/name`. */
  id: string;
  author: AccountRecord;
  message: string;
  files: { path: string; content: Buffer | string }[];
  deletions?: string[];
  parentCommit?: string;
  branch?: string;
}

/**
 * Commits files to a repository from server code (live-document snapshots, generated models).
 * Trusted callers only: it checks paths and history, not the author's rights (use repoPermission).
 */
export async function commitFiles(
  services: Services,
  input: CommitFilesInput,
): Promise<{ commitOid: string }> {
  const parts = splitRepoId(input.id);
  const repo = parts && (await services.hub.repos.find(input.type, parts.owner, parts.name));
  if (!repo) throw repoNotFound(input.id);
  const stores = boundedStores();
  const storing: Promise<FileEntry>[] = [];
  for (const f of input.files) {
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
    storing.push((await stores.add(content.length, () => storeSmallFile(services, f.path, content))).task);
  }
  const puts = await Promise.all(storing);
  const [title = '', ...rest] = input.message.split('\n');
  return applyCommit(services, repo, input.author, {
    branch: input.branch ?? 'main',
    title,
    description: rest.join('\n').trim(),
    parentCommit: input.parentCommit,
    puts,
    deleteFiles: (input.deletions ?? []).map((p) => checkPath(p)),
    deleteFolders: [],
  });
}
