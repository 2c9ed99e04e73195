import type { RepoRole, RepoSort, RepoType } from '@atrium/protocol';

/** A repository as stored, with its owner's name joined in. */
export interface RepoRecord {
  id: string;
  type: RepoType;
  ownerId: string;
  ownerName: string;
  ownerKind: 'user' | 'org';
  name: string;
  private: boolean;
  sdk: string | null;
  createdAt: string;
  lastModified: string;
  likes: number;
  downloads: number;
  /** The commit `main` points at; null only for a repository being created. */
  head: string | null;
  forkedFromRepo: string | null;
  forkedFromCommit: string | null;
}

/** One file of a commit: the path and the blob it names. */
export interface FileEntry {
  path: string;
  sha256: string;
  size: number;
  /** Git blob id (of the content, or of the LFS pointer for LFS files), as the Hub reports `oid`. */
  gitOid: string;
  lfs: boolean;
}

export interface CommitRecord {
  oid: string;
  parent: string | null;
  authorId: string | null;
  authorName: string;
  title: string;
  message: string;
  createdAt: string;
}

/** The changes one commit applies on top of its parent. */
export interface CommitChanges {
  put: FileEntry[];
  deleteFiles: string[];
  deleteFolders: string[];
}

export interface NewCommit {
  repoId: string;
  branch: string;
  /** When set, the branch must still point here (the Hub's `parentCommit`), or the commit is refused. */
  expectedHead?: string;
  authorId: string | null;
  authorName: string;
  title: string;
  message: string;
  createdAt: string;
  changes: CommitChanges;
}

export type CommitOutcome =
  | { ok: true; oid: string }
  | { ok: false; reason: 'stale_parent' | 'no_branch'; head: string | null }
  | { ok: false; reason: 'missing_path' | 'path_conflict'; path: string };

export interface RepoQuery {
  type: RepoType;
  search?: string;
  author?: string;
  sort: RepoSort;
  limit: number;
  offset: number;
  /** Who is looking: private repositories appear only to those who may read them. */
  viewerId: string | null;
  viewerIsAdmin: boolean;
}

/**
 * Repositories, their branches, commits and file lists, collaborators and likes. Asynchronous so a
 * networked database could stand behind it without changing any caller.
 */
export interface RepoStore {
  find(type: RepoType, owner: string, name: string): Promise<RepoRecord | undefined>;
  findById(id: string): Promise<RepoRecord | undefined>;
  /** Creates the repository with an initial commit on `main`; undefined when the name is taken. */
  create(repo: {
    type: RepoType;
    ownerId: string;
    name: string;
    private: boolean;
    sdk: string | null;
    createdAt: string;
    initialCommit: Omit<NewCommit, 'repoId' | 'branch' | 'expectedHead'>;
    forkedFrom?: { repoId: string; commit: string; refs: { name: string; commit: string }[] };
  }): Promise<RepoRecord | undefined>;
  remove(id: string): Promise<void>;
  /** Renames or transfers; false when the target name is taken. */
  move(id: string, ownerId: string, name: string): Promise<boolean>;
  setPrivate(id: string, value: boolean): Promise<void>;
  list(query: RepoQuery): Promise<RepoRecord[]>;
  forksOf(id: string): Promise<RepoRecord[]>;

  refs(repoId: string): Promise<{ name: string; commit: string }[]>;
  /** A branch name, `HEAD`, or a full or abbreviated (≥7) commit id reachable from a branch. */
  resolveRevision(repoId: string, rev: string): Promise<string | undefined>;
  commit(commit: NewCommit): Promise<CommitOutcome>;
  getCommit(oid: string): Promise<CommitRecord | undefined>;
  /** History from a commit, newest first. */
  history(oid: string, limit: number, offset: number): Promise<CommitRecord[]>;
  countHistory(oid: string): Promise<number>;

  entry(commitOid: string, path: string): Promise<FileEntry | undefined>;
  /** Files of a commit under a folder ('' for all), in path order. */
  entries(commitOid: string, folder: string): Promise<FileEntry[]>;
  /** The commit that last changed each of these paths, walking history from `commitOid`. */
  lastCommitOf(commitOid: string, path: string, maxDepth: number): Promise<CommitRecord | undefined>;

  collaboratorRole(repoId: string, userId: string): Promise<RepoRole | undefined>;
  collaborators(repoId: string): Promise<{ userId: string; userName: string; role: RepoRole }[]>;
  setCollaborator(repoId: string, userId: string, role: RepoRole): Promise<void>;
  removeCollaborator(repoId: string, userId: string): Promise<boolean>;

  /** Garbage collection: drops commits (and their file lists) no branch of any repository reaches. */
  pruneUnreachable(): Promise<{ commits: number }>;
  /** Every sha256 some commit still names. */
  referencedBlobs(): Promise<Set<string>>;
  /**
   * What an account's repositories hold (its storage quota): the distinct blobs the history of any of
   * their branches names, forks included; and how much of `adding` would be new to it.
   */
  storageUsage(
    ownerId: string,
    adding?: readonly { sha256: string; size: number }[],
  ): Promise<{ usedBytes: number; addingBytes: number }>;

  like(repoId: string, userId: string, at: string): Promise<void>;
  unlike(repoId: string, userId: string): Promise<void>;
  hasLiked(repoId: string, userId: string): Promise<boolean>;
  likers(repoId: string): Promise<{ userName: string; at: string }[]>;
  likedBy(userId: string): Promise<{ repo: RepoRecord; at: string }[]>;
}
