/** Path prefix of the collaboration endpoint: `new WebsocketProvider(origin + COLLAB_PATH, docName, doc)`. */
export const COLLAB_PATH = '/collab';

/** What a live document edits: a notebook's cells, or a Space's files (root Y.Map "files": path → Y.Text). */
export type CollabDocumentKind = 'notebook' | 'space';

/** Root shared types of a Space document. */
export const SPACE_FILES_MAP = 'files';

/** Names of the live documents: `notebooks/<owner>/<name>` and `spaces/<owner>/<name>`. */
export const COLLAB_DOCUMENT_PREFIXES = { notebooks: 'notebook', spaces: 'space' } as const;

/** Document name of a repository's live document. */
export const collabDocumentName = (kind: CollabDocumentKind, repoId: string): string => `${kind}s/${repoId}`;

const PRESENCE_PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#469990',
  '#9a6324',
  '#800000',
];

/** A stable colour per user name, so a person looks the same in every tab, document and client. */
export function presenceColorOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PRESENCE_PALETTE[h % PRESENCE_PALETTE.length] ?? '#4363d8';
}

/** Presence (awareness) field the server fills with the authenticated user; clients cannot set it. */
export interface CollabPresenceUser {
  name: string;
  color: string;
  /** True for anonymous viewers, whose name is a guest name. */
  guest?: boolean;
}

/** Reason sent (y-protocols auth message) when a viewer's edit is refused. */
export const READ_ONLY_REASON = 'read-only: you may view this document but not change it';

/**
 * Reason sent (y-protocols auth message) the moment an editor's access drops to read while they are
 * connected (their role changed, the token or membership that let them write is gone): the socket
 * stays open as a viewer's, and the page turns read-only in place.
 */
export const DEMOTED_REASON =
  'read-only: your access changed; you may still view this document but not change it';

/** Whether a y-protocols permission-denied reason means "you are a viewer now". */
export const isReadOnlyReason = (reason: string): boolean => reason.startsWith('read-only:');

/** Answer of the save route. */
export interface CollabSaveResult {
  commitOid: string;
  files: string[];
}

/** Path of the notebook file that saving a notebook document writes into its repository. */
export const NOTEBOOK_FILE = 'notebook.ipynb';
