import { COLLAB_PATH } from '@atrium/protocol';
import { useEffect, useRef, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { followLiveAccess } from './liveDocumentAccess';

/** What every live document gives its page, whatever it holds. */
export interface LiveDocument {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: boolean;
  /** Set when the server closed the connection for good (access taken away, deleted, renamed…). */
  closedReason: string | null;
  /** The document's new name when its repository was renamed while open. */
  movedTo: string | null;
  /** The server made this editor a viewer while connected (their access changed). */
  readOnly: boolean;
}

/**
 * How one kind of document (notebook cells, Space files) turns its Y.Doc into page state: what the
 * state starts as, what to read again once synced, and the observers to stop on unmount. `publish`
 * merges a change into the state; `current` is the state now.
 */
export type LiveContent<C> = (
  live: { doc: Y.Doc; provider: WebsocketProvider },
  publish: (patch: Partial<C>) => void,
  current: () => LiveDocument & C,
) => { initial: C; onSynced: () => Partial<C>; stop: () => void };

/**
 * Connects to the live document `docName` on the unmodified y-websocket client for as long as the
 * page shows it. Closes follow the protocol's codes (`followLiveAccess`): a close for good says why
 * and stops reconnecting, a retryable one reconnects with backoff, a demotion turns the page read-only.
 * `presence`: this client's first presence fields; null publishes no presence at all (an embedded
 * copy on another site is not a person on the page). `content` is read once per connection.
 */
export function useLiveDocument<C extends object>(
  docName: string,
  what: string,
  content: LiveContent<C>,
  presence: Record<string, unknown> | null = {},
): (LiveDocument & C) | null {
  const [live, setLive] = useState<(LiveDocument & C) | null>(null);
  const bind = useRef(content);
  bind.current = content;
  const fields = useRef(presence);
  fields.current = presence;
  const silent = presence === null;

  useEffect(() => {
    const doc = new Y.Doc();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${COLLAB_PATH}`;
    const provider = new WebsocketProvider(url, docName, doc, { disableBc: true });
    let state = {
      doc,
      provider,
      synced: false,
      closedReason: null,
      movedTo: null,
      readOnly: false,
    } as LiveDocument & C;
    const update = (patch: Partial<LiveDocument> | Partial<C>) => {
      state = { ...state, ...patch };
      setLive(state);
    };
    const bound = bind.current({ doc, provider }, update, () => state);
    state = { ...state, ...bound.initial };
    provider.on('sync', (synced: boolean) => {
      if (synced) update({ synced: true, ...bound.onSynced() });
    });
    const unfollow = followLiveAccess(provider, what, {
      ended: (end) => update({ closedReason: end.message, movedTo: end.movedTo }),
      readOnly: () => update({ readOnly: true }),
    });
    if (silent) provider.awareness.setLocalState(null);
    else
      for (const [field, value] of Object.entries(fields.current ?? {}))
        provider.awareness.setLocalStateField(field, value);
    setLive(state);
    return () => {
      bound.stop();
      unfollow();
      provider.destroy();
      doc.destroy();
      setLive(null);
    };
  }, [docName, what, silent]);

  return live;
}
