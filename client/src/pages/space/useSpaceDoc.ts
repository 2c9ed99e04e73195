import { type CollabPresenceUser, collabDocumentName, SPACE_FILES_MAP } from '@atrium/protocol';
import type * as Y from 'yjs';
import { type LiveContent, type LiveDocument, useLiveDocument } from '../../hooks/useLiveDocument';

/** Root map of paths deleted or renamed away since the last Save (Save removes them from the repository). */
export const REMOVED_FILES_MAP = 'removedFiles';

/** Someone editing the Space's files, as the server stamps their presence. */
export interface SpaceEditor {
  clientId: number;
  user: CollabPresenceUser;
  /** The file their presence says they are looking at. */
  file: string | null;
}

/** What the Space's live document holds, as the Files tab reads it. */
interface SpaceFiles {
  files: Y.Map<Y.Text>;
  removed: Y.Map<boolean>;
  /** Sorted file paths; a new array whenever a file is added, renamed or deleted. */
  paths: string[];
  people: SpaceEditor[];
}

/** The Space's live files: the Y.Doc `spaces/<owner>/<name>`. */
export type LiveSpace = LiveDocument & SpaceFiles;

const spaceFiles: LiveContent<SpaceFiles> = ({ doc, provider }, publish) => {
  const files = doc.getMap<Y.Text>(SPACE_FILES_MAP);
  const removed = doc.getMap<boolean>(REMOVED_FILES_MAP);
  const sortedPaths = () => [...files.keys()].sort();
  const onFiles = () => publish({ paths: sortedPaths() });
  const onPresence = () => {
    const people: SpaceEditor[] = [];
    for (const [clientId, s] of provider.awareness.getStates()) {
      const user = s.user as CollabPresenceUser | undefined;
      if (clientId === doc.clientID || !user) continue;
      people.push({ clientId, user, file: (s.file as string | undefined) ?? null });
    }
    publish({ people });
  };
  files.observe(onFiles);
  provider.awareness.on('change', onPresence);
  return {
    initial: { files, removed, paths: [], people: [] },
    onSynced: () => ({ paths: sortedPaths() }),
    stop: () => {
      files.unobserve(onFiles);
      provider.awareness.off('change', onPresence);
    },
  };
};

/** Connects to the Space's live document for as long as the Files tab is open. */
export function useSpaceDoc(spaceId: string): LiveSpace | null {
  return useLiveDocument(collabDocumentName('space', spaceId), 'Space', spaceFiles);
}
