import {
  CELL_PRESENCE_FIELD,
  type CollabPresenceUser,
  KERNEL_PRESENCE_FIELD,
  type NotebookKernelStatus,
  presenceColorOf,
} from '@atrium/protocol';
import { useCallback, useRef } from 'react';
import type * as Y from 'yjs';
import { type LiveContent, type LiveDocument, useLiveDocument } from '../../hooks/useLiveDocument';
import { cellsOf } from './notebookModel';

/** Someone on the page, as their presence says. */
export interface Collaborator {
  clientId: number;
  user: CollabPresenceUser;
  cell: string | null;
  self: boolean;
}

/** What the notebook's live document holds, as the page reads it. */
interface NotebookContent {
  /** Cell Y.Maps in order; a new array whenever cells are added, removed or moved. */
  cells: Y.Map<unknown>[];
  people: Collaborator[];
  /** Published by the server as its own presence; null until it says anything. */
  kernel: NotebookKernelStatus | null;
}

/** The live notebook: its Y.Doc, its cells, people and kernel. */
export type LiveNotebook = LiveDocument & NotebookContent;

/** Each notebook page's own cursor field starts empty; an embedded copy publishes no presence. */
const PRESENCE = { [CELL_PRESENCE_FIELD]: null };

/**
 * `selfName`: how this person appears in their own presence list (the server never echoes it back).
 * `silent`: publish no presence at all (an embedded copy on another site is not a person on the page).
 */
export function useNotebookDoc(docName: string, selfName: string, silent = false): LiveNotebook | null {
  // Read at each presence change: learning one's name later must not reconnect the document.
  const self = useRef(selfName);
  self.current = selfName;
  const content = useCallback<LiveContent<NotebookContent>>(({ doc, provider }, publish, current) => {
    const cells = cellsOf(doc);
    const onCells = () => publish({ cells: cells.toArray() });
    const onPresence = () => {
      const people: Collaborator[] = [];
      let kernel = current().kernel;
      for (const [clientId, s] of provider.awareness.getStates()) {
        if (clientId === doc.clientID) {
          const cell = (s[CELL_PRESENCE_FIELD] as string | null) ?? null;
          people.unshift({
            clientId,
            user: { name: self.current, color: presenceColorOf(self.current) },
            cell,
            self: true,
          });
          continue;
        }
        const user = s.user as CollabPresenceUser | undefined;
        // Only the server's own state has no `user` (the server stamps it on every client's state).
        if (!user) {
          if (s[KERNEL_PRESENCE_FIELD]) kernel = s[KERNEL_PRESENCE_FIELD] as NotebookKernelStatus;
          continue;
        }
        people.push({ clientId, user, cell: (s[CELL_PRESENCE_FIELD] as string | null) ?? null, self: false });
      }
      publish({ people, kernel });
    };
    cells.observe(onCells);
    provider.awareness.on('change', onPresence);
    return {
      initial: { cells: [], people: [], kernel: null },
      onSynced: () => ({ cells: cells.toArray() }),
      stop: () => {
        cells.unobserve(onCells);
        provider.awareness.off('change', onPresence);
      },
    };
  }, []);
  return useLiveDocument(docName, 'notebook', content, silent ? null : PRESENCE);
}
