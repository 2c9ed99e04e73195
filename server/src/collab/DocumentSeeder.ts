import type { DocumentRef } from './documentName.js';

/** Reads what a repository holds, so a document opened for the first time starts from it. */
export interface DocumentSeeder {
  /**
   * The document's first state, or null to start empty; rejects with a 413 HttpError when the
   * repository's content is too large or too deeply nested to be a live document.
   */
  stateOf(doc: DocumentRef): Promise<Uint8Array | null>;
}
