import type { CollabSaveResult } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { commitFiles } from '../../hub/commands/commitFiles.js';
import type { Services } from '../../services.js';
import type { CollabServer } from '../CollabServer.js';
import { filesOfDocument } from '../documentFiles.js';
import type { DocumentRef } from '../documentName.js';

/** Commits the live document's text into its repository's history, authored by `author`. */
export async function saveDocument(
  services: Services,
  collab: CollabServer,
  input: { doc: DocumentRef; author: AccountRecord; message?: string },
): Promise<CollabSaveResult> {
  const hold = await collab.hold(input.doc);
  try {
    const files = filesOfDocument(input.doc.kind, hold.doc);
    const { commitOid } = await commitFiles(services, {
      type: input.doc.kind,
      id: input.doc.repoId,
      author: input.author,
      message:
        input.message?.trim() ||
        `Save ${input.doc.kind === 'notebook' ? 'notebook' : 'files'} from the live editor`,
      files,
    });
    return { commitOid, files: files.map((f) => f.path) };
  } finally {
    hold.release();
  }
}
