import { CloseCode, isPermanentClose, isReadOnlyReason, isRetryableClose, movedTo } from '@atrium/protocol';
import { readAuthMessage } from 'y-protocols/auth';
import { messageAuth, type WebsocketProvider } from 'y-websocket';

/** The server closed a live document for good: what to tell the person, and where it went if it moved. */
export interface LiveDocumentEnd {
  message: string;
  /** The new document name (`notebooks/<owner>/<name>`) when the repository was renamed or moved. */
  movedTo: string | null;
}

/** Words for a close; null for closes that are not for good (`isPermanentClose`: the client reconnects after the rest). */
export function liveDocumentEnd(code: number, reason: string, what: string): LiveDocumentEnd | null {
  if (!isPermanentClose(code)) return null;
  const end = (message: string, to: string | null = null) => ({ message, movedTo: to });
  switch (code) {
    case CloseCode.AccessRevoked:
      return end(`Your access to this ${what} was taken away: ${reason}.`);
    case CloseCode.SessionEnded:
      return end(`You signed out, so this ${what} stopped updating. Sign in again to go on.`);
    case CloseCode.DocumentDeleted:
      return end(`This ${what} was deleted.`);
    case CloseCode.DocumentMoved: {
      const to = movedTo(reason);
      return end(`This ${what} was renamed${to ? ` to ${to.split('/').slice(1).join('/')}` : ''}.`, to);
    }
    default:
      return end(`This ${what} cannot be opened: ${reason || `closed (${code})`}`);
  }
}

/**
 * The attempt count y-websocket's backoff should use after a close: a retryable close (slow, flooding,
 * too large) counts every time, even after a sync that reset the library's own count, so a client
 * the server keeps closing waits longer each time instead of returning every 200 ms.
 */
export function backoffAttempts(libraryCount: number, retryableCloses: number): number {
  return Math.max(libraryCount, retryableCloses);
}

/**
 * Follows what the server says about this client's access on a live document: a close for good
 * (no more reconnecting), a retryable close (reconnect, backing off), and the notice that an editor
 * became a viewer (the page turns read-only in place, the socket stays). Returns the function that
 * stops following.
 */
export function followLiveAccess(
  provider: WebsocketProvider,
  what: string,
  on: { ended: (end: LiveDocumentEnd) => void; readOnly: () => void },
): () => void {
  // y-websocket's default gives up on all of 4400–4499; the protocol says which of those are for good.
  provider.shouldReconnect = (event) => !isPermanentClose(event.code);
  let retryableCloses = 0;
  const closed = (event: CloseEvent | null) => {
    if (event && isRetryableClose(event.code)) {
      retryableCloses += 1;
      // The library adds one after this event, then waits min(2^n × 100 ms, maxBackoffTime).
      provider.wsUnsuccessfulReconnects = backoffAttempts(provider.wsUnsuccessfulReconnects, retryableCloses);
    }
    // shouldReconnect above already stops y-websocket reconnecting after a close for good.
    const end = event && liveDocumentEnd(event.code, event.reason, what);
    if (end) on.ended(end);
  };
  provider.on('connection-close', closed);
  provider.messageHandlers[messageAuth] = (_encoder, decoder) =>
    readAuthMessage(decoder, provider.doc, (_doc, reason) => {
      if (isReadOnlyReason(reason)) on.readOnly();
    });
  return () => provider.off('connection-close', closed);
}
