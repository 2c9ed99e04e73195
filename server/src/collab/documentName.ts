import { COLLAB_DOCUMENT_PREFIXES, type CollabDocumentKind } from '@atrium/protocol';

// Repository names as the hub allows them (letters, digits, '.', '_', '-'); never '..' segments.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** A live document and the repository it edits. */
export interface DocumentRef {
  /** `notebooks/<owner>/<name>` or `spaces/<owner>/<name>`. */
  name: string;
  kind: CollabDocumentKind;
  /** `owner/name` of the repository. */
  repoId: string;
  /** The repository's stored id (it survives renames), once the name was resolved (`DocumentAccess.canonical`). */
  repoKey?: string;
}

/** Parses a document name; null when its prefix or repository id is not one Atrium serves. */
export function parseDocumentName(name: string): DocumentRef | null {
  const parts = name.split('/');
  if (parts.length !== 3) return null;
  const [prefix, owner, repo] = parts as [string, string, string];
  const kind = (COLLAB_DOCUMENT_PREFIXES as Record<string, CollabDocumentKind | undefined>)[prefix];
  if (!kind || !Object.hasOwn(COLLAB_DOCUMENT_PREFIXES, prefix)) return null;
  if (!SEGMENT.test(owner) || !SEGMENT.test(repo)) return null;
  return { name, kind, repoId: `${owner}/${repo}` };
}

/** The document name carried by an upgrade URL `/collab/<document>?…`, or null. */
export function documentNameFromUrl(url: string, prefix: string): string | null {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(`${prefix}/`)) return null;
  try {
    return decodeURIComponent(path.slice(prefix.length + 1));
  } catch {
    return null;
  }
}
