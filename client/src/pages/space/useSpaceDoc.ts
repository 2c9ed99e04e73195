import { COLLAB_PATH, type CollabPresenceUser, SPACE_FILES_MAP } from '@atrium/protocol';
import { useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { followLiveAccess } from '../../hooks/liveDocumentAccess';

/** Root map of paths deleted or renamed away since the last Save (Save removes them from the repository). */
export const REMOVED_FILES_MAP = 'removedFiles';

/** Someone editing the Space's files, as the server stamps their presence. */
export interface SpaceEditor {
  clientId: number;
  user: CollabPresenceUser;
  /** The file their presence says they are looking at. */
  file: string | null;
}

/** The Space's live files: the Y.Doc `spaces/<owner>/<name>` on the unmodified y-websocket client. */
export interface LiveSpace {
  doc: Y.Doc;
  provider: WebsocketProvider;
  files: Y.Map<Y.Text>;
  removed: Y.Map<boolean>;
  synced: boolean;
  /** Sorted file paths; a new array whenever a file is added, renamed or deleted. */
  paths: string[];
  people: SpaceEditor[];
  /** Set when the server closed the connection for good (access taken away, deleted…). */
  closedReason: string | null;
  /** The Space's new document name when it was renamed while open. */
  movedTo: string | null;
  /** The server made this editor a viewer while connected (their access changed). */
  readOnly: boolean;
}

/** Connects to the Space's live document for as long as the Files tab is open. */
export function useSpaceDoc(spaceId: string): LiveSpace | null {
  const [live, setLive] = useState<LiveSpace | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${COLLAB_PATH}`;
    const provider = new WebsocketProvider(url, `spaces/${spaceId}`, doc, { disableBc: true });
    const files = doc.getMap<Y.Text>(SPACE_FILES_MAP);
    const removed = doc.getMap<boolean>(REMOVED_FILES_MAP);
    let state: LiveSpace = {
      doc,
      provider,
      files,
      removed,
      synced: false,
      paths: [],
      people: [],
      closedReason: null,
      movedTo: null,
      readOnly: false,
    };
    const update = (patch: Partial<LiveSpace>) => {
      state = { ...state, ...patch };
      setLive(state);
    };
    const onFiles = () => update({ paths: [...files.keys()].sort() });
    const onPresence = () => {
      const people: SpaceEditor[] = [];
      for (const [clientId, s] of provider.awareness.getStates()) {
        const user = s.user as CollabPresenceUser | undefined;
        if (clientId === doc.clientID || !user) continue;
        people.push({ clientId, user, file: (s.file as string | undefined) ?? null });
      }
      update({ people });
    };
    files.observe(onFiles);
    provider.awareness.on('change', onPresence);
    provider.on('sync', (synced: boolean) => {
      if (synced) update({ synced: true, paths: [...files.keys()].sort() });
    });
    // Closed for good (refused, access taken away, deleted, renamed): say why and stop reconnecting;
    // an editor whose access dropped to read turns read-only in place.
    const unfollow = followLiveAccess(provider, 'Space', {
      ended: (end) => update({ closedReason: end.message, movedTo: end.movedTo }),
      readOnly: () => update({ readOnly: true }),
    });
    setLive(state);
    return () => {
      files.unobserve(onFiles);
      provider.awareness.off('change', onPresence);
      unfollow();
      provider.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [spaceId]);
  return live;
}
