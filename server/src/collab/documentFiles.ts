import { type CollabDocumentKind, NOTEBOOK_FILE, SPACE_FILES_MAP } from '@atrium/protocol';
import * as Y from 'yjs';
import { exportIpynb } from '../notebooks/ipynb.js';

/** A repository file as text, the unit a live document is saved to and seeded from. */
export interface TextFile {
  path: string;
  content: string;
}

/** The files a document stands for: the notebook as nbformat 4.5 JSON, or every file of a Space. */
export function filesOfDocument(kind: CollabDocumentKind, doc: Y.Doc): TextFile[] {
  if (kind === 'notebook')
    return [{ path: NOTEBOOK_FILE, content: `${JSON.stringify(exportIpynb(doc), null, 1)}\n` }];
  const files: TextFile[] = [];
  for (const [path, value] of doc.getMap<unknown>(SPACE_FILES_MAP).entries()) {
    if (value instanceof Y.Text) files.push({ path, content: value.toString() });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Which repository files a document of this kind takes in when it is first opened. */
export const seedsFrom = (kind: CollabDocumentKind, path: string): boolean =>
  kind === 'notebook' ? path === NOTEBOOK_FILE : path !== '.gitattributes';

/** The first state of a Space's document opened on an existing repository: its text files at HEAD. */
export function spaceStateFromFiles(files: TextFile[]): Uint8Array | null {
  if (files.length === 0) return null;
  const doc = new Y.Doc();
  try {
    const map = doc.getMap<Y.Text>(SPACE_FILES_MAP);
    doc.transact(() => {
      for (const f of files) map.set(f.path, new Y.Text(f.content));
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
