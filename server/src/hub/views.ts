import type { CommitView, RepoInfoView, RepoSibling, RepoType, TreeEntryView } from '@atrium/protocol';
import { avatarUrl } from '../accounts/views.js';
import { lfsPointer } from './gitOid.js';
import type { CommitRecord, FileEntry, RepoRecord } from './RepoStore.js';

/** `owner/name`. */
export const fullId = (repo: RepoRecord) => `${repo.ownerName}/${repo.name}`;

/** URL prefix of a repository's pages and downloads: models have none, as on the Hub. */
export const typePrefix = (type: RepoType) => (type === 'model' ? '' : `/${type}s`);

const pointerSize = (e: FileEntry) => Buffer.byteLength(lfsPointer(e.sha256, e.size));

export const siblingView = (e: FileEntry): RepoSibling => ({
  rfilename: e.path,
  size: e.size,
  blobId: e.gitOid,
  ...(e.lfs ? { lfs: { sha256: e.sha256, size: e.size, pointerSize: pointerSize(e) } } : {}),
});

/** Repository info in the Hub's shape; `extra` carries what needs more reads (card, files, lineage). */
export function repoInfoView(
  repo: RepoRecord,
  sha: string | null,
  extra: {
    cardData?: Record<string, unknown>;
    siblings?: FileEntry[];
    duplicatedFrom?: RepoInfoView['duplicatedFrom'];
    forks?: number;
  } = {},
): RepoInfoView {
  const id = fullId(repo);
  const card = extra.cardData;
  const cardTags = Array.isArray(card?.tags)
    ? card.tags.filter((t): t is string => typeof t === 'string')
    : [];
  const view: RepoInfoView = {
    _id: repo.id,
    id,
    author: repo.ownerName,
    type: repo.type,
    sha,
    lastModified: repo.lastModified,
    createdAt: repo.createdAt,
    private: repo.private,
    gated: false,
    disabled: false,
    likes: repo.likes,
    downloads: repo.downloads,
    tags: [...new Set([...cardTags, ...(repo.sdk ? [repo.sdk] : [])])],
  };
  if (repo.type === 'model') view.modelId = id;
  if (repo.sdk) view.sdk = repo.sdk;
  if (typeof card?.pipeline_tag === 'string') view.pipeline_tag = card.pipeline_tag;
  if (typeof card?.library_name === 'string') view.library_name = card.library_name;
  if (card) view.cardData = card;
  if (extra.siblings) view.siblings = extra.siblings.map(siblingView);
  if (extra.duplicatedFrom !== undefined) view.duplicatedFrom = extra.duplicatedFrom;
  if (extra.forks !== undefined) view.forks = extra.forks;
  return view;
}

export const fileEntryView = (e: FileEntry, lastCommit?: CommitRecord): TreeEntryView => ({
  type: 'file',
  oid: e.gitOid,
  size: e.size,
  path: e.path,
  ...(e.lfs ? { lfs: { oid: e.sha256, size: e.size, pointerSize: pointerSize(e) } } : {}),
  ...(lastCommit
    ? { lastCommit: { id: lastCommit.oid, title: lastCommit.title, date: lastCommit.createdAt } }
    : {}),
});

export const commitView = (c: CommitRecord): CommitView => ({
  id: c.oid,
  title: c.title,
  message: c.message,
  authors: [{ user: c.authorName, avatar: avatarUrl(c.authorName) }],
  date: c.createdAt,
  parents: c.parent ? [c.parent] : [],
});
