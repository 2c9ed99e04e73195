import { COLLAB_PATH, type CollabPresenceUser, SPACE_FILES_MAP } from '@atrium/protocol';
import { useEffect, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

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
  closedReason: string | null;
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
    provider.on('connection-close', (event) => {
      // 4400–4499: the server refused for good (not found, forbidden); stop reconnecting.
      if (event && event.code >= 4400 && event.code < 4500) {
        provider.shouldConnect = false;
        update({ closedReason: event.reason || `closed (${event.code})` });
      }
    });
    setLive(state);
    return () => {
      files.unobserve(onFiles);
      provider.awareness.off('change', onPresence);
      provider.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [spaceId]);
  return live;
}
