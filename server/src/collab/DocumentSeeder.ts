import type { TextFile } from './documentFiles.js';
import type { DocumentRef } from './documentName.js';

/** Reads what a repository holds, so a document opened for the first time starts from it. */
export interface DocumentSeeder {
  filesOf(doc: DocumentRef): Promise<TextFile[]>;
}
