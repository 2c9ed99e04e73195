import { CloseCode } from '@atrium/protocol';
import { collabLimits } from '@atrium/server/collab/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { followLiveAccess, type LiveDocumentEnd } from '../../../client/src/hooks/liveDocumentAccess.js';
import { deleteRepo } from '../access/accessChanges.js';
import { clientPool, makeRepo, synced } from '../collab/collabClients.js';
import { createUser, startTestServer, type TestServer, type TestUser, waitFor } from '../harness/index.js';

/** How many characters one text insert needs for its y-websocket update frame to be `frameBytes` long. */
function charsForFrame(clientID: number, frameBytes: number): number {
  const probe = new Y.Doc();
  probe.clientID = clientID;
  probe.getText('t').insert(0, 'x'.repeat(1 << 22));
  const overhead = Y.encodeStateAsUpdate(probe).length - (1 << 22);
  probe.destroy();
  // Frame: message type, sync type, the update's length (a 4-byte varuint at this size), the update.
  return frameBytes - 2 - 4 - overhead;
}

describe('the web client’s live documents after the server closes them', () => {
  let server: TestServer;
  let alice: TestUser;
  const pool = clientPool(() => server);

  beforeAll(async () => {
    server = await startTestServer();
    alice = await createUser(server.url);
  });
  afterAll(async () => {
    pool.destroy();
    await server?.stop();
  });

  it('reconnects after a frame too large, waiting longer each time, and never calls it the end', async () => {
    const docName = `notebooks/${await makeRepo(server, alice, 'notebook')}`;
    const client = pool.open(docName, { token: alice.token });
    const ends: LiveDocumentEnd[] = [];
    followLiveAccess(client.provider, 'notebook', { ended: (e) => ends.push(e), readOnly: () => {} });
    await synced(client);
    const closes: number[] = [];
    client.provider.on('connection-close', (event) => {
      if (event?.code === CloseCode.FrameTooLarge) closes.push(performance.now());
    });
    // One update framed at exactly one byte over the server's frame cap (past it, ws itself closes with
    // 1009): every connection sends it and is closed with FrameTooLarge, so the client keeps retrying.
    client.doc
      .getText('t')
      .insert(0, 'x'.repeat(charsForFrame(client.doc.clientID, collabLimits.maxFrameBytes + 1)));
    await waitFor(() => closes.length >= 4, { what: 'four FrameTooLarge closes', timeout: 30_000 });
    // Backing off: y-websocket waits min(2^n × 100 ms, max) with n its count of unsuccessful
    // reconnects, which it resets on every open; after four retryable closes n has kept growing
    // (the plan, not the measured gaps: those are mostly connection time on a loaded machine).
    expect(client.provider.wsUnsuccessfulReconnects).toBeGreaterThanOrEqual(3);
    expect(client.provider.shouldConnect).toBe(true);
    expect(ends).toEqual([]);
  }, 60_000);

  it('stops reconnecting when the document is deleted, and says so', async () => {
    const id = await makeRepo(server, alice, 'notebook');
    const client = pool.open(`notebooks/${id}`, { token: alice.token });
    const ends: LiveDocumentEnd[] = [];
    followLiveAccess(client.provider, 'notebook', { ended: (e) => ends.push(e), readOnly: () => {} });
    await synced(client);
    const res = await deleteRepo(server.url, alice, 'notebook', id);
    expect(res.status).toBe(200);
    await waitFor(() => ends.length === 1, { what: 'the end of the document' });
    expect(ends[0]?.message).toBe('This notebook was deleted.');
    expect(client.provider.shouldConnect).toBe(false);
  });
});
