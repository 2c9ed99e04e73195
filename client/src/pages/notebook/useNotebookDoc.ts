import {
  CELL_PRESENCE_FIELD,
  COLLAB_PATH,
  type CollabPresenceUser,
  KERNEL_PRESENCE_FIELD,
  type NotebookKernelStatus,
  presenceColorOf,
} from '@atrium/protocol';
import { useEffect, useRef, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { followLiveAccess } from '../../hooks/liveDocumentAccess';
import { cellsOf } from './notebookModel';

/** Someone on the page, as their presence says. */
export interface Collaborator {
  clientId: number;
  user: CollabPresenceUser;
  cell: string | null;
  self: boolean;
}

/** The live notebook: its Y.Doc on the unmodified y-websocket client, its cells, people and kernel. */
export interface LiveNotebook {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: boolean;
  /** Cell Y.Maps in order; a new array whenever cells are added, removed or moved. */
  cells: Y.Map<unknown>[];
  people: Collaborator[];
  /** Published by the server as its own presence; null until it says anything. */
  kernel: NotebookKernelStatus | null;
  /** Set when the server closed the connection for good (e.g. the notebook is private). */
  closedReason: string | null;
  /** The notebook's new document name when it was renamed while open. */
  movedTo: string | null;
  /** The server made this editor a viewer while connected (their access changed). */
  readOnly: boolean;
}

/**
 * `selfName`: how this person appears in their own presence list (the server never echoes it back).
 * `silent`: publish no presence at all (an embedded copy on another site is not a person on the page).
 */
export function useNotebookDoc(docName: string, selfName: string, silent = false): LiveNotebook | null {
  const [live, setLive] = useState<LiveNotebook | null>(null);
  // Read at each presence change: learning one's name later must not reconnect the document.
  const self = useRef(selfName);
  self.current = selfName;

  useEffect(() => {
    const doc = new Y.Doc();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${COLLAB_PATH}`;
    const provider = new WebsocketProvider(url, docName, doc, { disableBc: true });
    const cells = cellsOf(doc);
    let state: LiveNotebook = {
      doc,
      provider,
      synced: false,
      cells: [],
      people: [],
      kernel: null,
      closedReason: null,
      movedTo: null,
      readOnly: false,
    };
    const update = (patch: Partial<LiveNotebook>) => {
      state = { ...state, ...patch };
      setLive(state);
    };
    const onCells = () => update({ cells: cells.toArray() });
    const onPresence = () => {
      const people: Collaborator[] = [];
      let kernel: NotebookKernelStatus | null = state.kernel;
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
        people.push({
          clientId,
          user,
          cell: (s[CELL_PRESENCE_FIELD] as string | null) ?? null,
          self: clientId === doc.clientID,
        });
      }
      update({ people, kernel });
    };
    cells.observe(onCells);
    provider.awareness.on('change', onPresence);
    provider.on('sync', (synced: boolean) => {
      if (synced) update({ synced: true, cells: cells.toArray() });
    });
    // Closed for good (refused, access taken away, deleted, renamed): say why and stop reconnecting;
    // an editor whose access dropped to read turns read-only in place.
    const unfollow = followLiveAccess(provider, 'notebook', {
      ended: (end) => update({ closedReason: end.message, movedTo: end.movedTo }),
      readOnly: () => update({ readOnly: true }),
    });
    if (silent) provider.awareness.setLocalState(null);
    else provider.awareness.setLocalStateField(CELL_PRESENCE_FIELD, null);
    setLive(state);
    return () => {
      cells.unobserve(onCells);
      provider.awareness.off('change', onPresence);
      unfollow();
      provider.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [docName, silent]);

  return live;
}
