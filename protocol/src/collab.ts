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

/** Presence (awareness) field the server fills with the authenticated user; clients cannot set it. */
export interface CollabPresenceUser {
  name: string;
  color: string;
  /** True for anonymous viewers, whose name is a guest name. */
  guest?: boolean;
}

/** Reason sent (y-protocols auth message) when a viewer's edit is refused. */
export const READ_ONLY_REASON = 'read-only: you may view this document but not change it';

/** Answer of the save route. */
export interface CollabSaveResult {
  commitOid: string;
  files: string[];
}

/** Path of the notebook file that saving a notebook document writes into its repository. */
export const NOTEBOOK_FILE = 'notebook.ipynb';
