/** Kinds of repository Atrium hosts: the Hub's models and Spaces, and Atrium's own notebooks. */
export type RepoType = 'model' | 'space' | 'notebook';
export const REPO_TYPES: readonly RepoType[] = ['model', 'space', 'notebook'];

/** A user's rights on one repository, weakest first. */
export type RepoPermission = 'none' | 'read' | 'write' | 'admin';
/** Roles a collaborator can be given on a repository. */
export type RepoRole = 'read' | 'write' | 'admin';

/** Sort keys accepted by the list endpoints, as on the Hub. */
export type RepoSort = 'likes' | 'lastModified' | 'createdAt' | 'trendingScore' | 'downloads';

/** One file of a repository in the repository info (`siblings`). */
export interface RepoSibling {
  rfilename: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256: string; size: number; pointerSize: number };
}

/** Repository info (`GET /api/{type}s/{id}`) in the Hub's JSON shape, plus Atrium's lineage fields. */
export interface RepoInfoView {
  _id: string;
  id: string;
  /** Models only, mirrors `id` as on the Hub. */
  modelId?: string;
  author: string;
  type: RepoType;
  sha: string | null;
  lastModified: string;
  createdAt: string;
  private: boolean;
  gated: false;
  disabled: false;
  likes: number;
  downloads: number;
  tags: string[];
  sdk?: string;
  pipeline_tag?: string;
  library_name?: string;
  cardData?: Record<string, unknown>;
  siblings?: RepoSibling[];
  /** The repository this one was duplicated from, with the commit it started at. */
  duplicatedFrom?: { type: RepoType; id: string; commit: string } | null;
  /** How many repositories were duplicated from this one. */
  forks?: number;
  /** Atrium only: what the viewer may do here (pages show upload and settings to writers). */
  permission?: RepoPermission;
}

/** An entry of `GET /api/{type}s/{id}/tree/{rev}/{path}`. */
export interface TreeEntryView {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  lastCommit?: { id: string; title: string; date: string };
}

/** An entry of the commit list (`GET /api/{type}s/{id}/commits/{rev}`). */
export interface CommitView {
  id: string;
  title: string;
  message: string;
  authors: { user: string; avatar: string }[];
  date: string;
  parents: string[];
}

/** Response of `POST /api/{type}s/{id}/commit/{rev}`. */
export interface CommitResultView {
  success: true;
  commitOid: string;
  commitUrl: string;
  hookOutput: string;
}
