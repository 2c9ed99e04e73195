import type { CollabServer } from '../../collab/CollabServer.js';
import type { DocumentRef } from '../../collab/documentName.js';
import { exportIpynb, type Ipynb } from '../ipynb.js';

/** The live notebook (with its latest outputs, saved or not) as nbformat 4.5 JSON. */
export async function exportNotebook(collab: CollabServer, ref: DocumentRef): Promise<Ipynb> {
  const hold = await collab.hold(ref);
  try {
    return exportIpynb(hold.doc);
  } finally {
    hold.release();
  }
}
