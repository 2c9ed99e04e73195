import {
  logOut,
  removeCollaborator,
  revokeToken,
  setCollaborator,
  setPrivate,
  tokenIdOf,
} from '@atrium/tests/src/access/accessChanges.js';
import {
  type Client,
  type Credentials,
  closedWith,
  connectClient,
  synced,
} from '@atrium/tests/src/collab/collabClients.js';
import {
  bearer,
  createUser,
  spawnServer,
  type TestUser,
  uniqueName,
} from '@atrium/tests/src/harness/index.js';

export interface RevocationResult {
  removed: number[];
  madePrivate: number[];
  tokenRevoked: number[];
  signedOut: number[];
  relayed: number[];
  refused: number[];
}

const VISITORS = 10;

/** A notebook created over HTTP like the web app does; returns its id. */
async function notebook(url: string, owner: TestUser, isPrivate: boolean): Promise<string> {
  const res = await fetch(`${url}/api/notebooks/new`, {
    method: 'POST',
    headers: { ...bearer(owner.token), 'content-type': 'application/json' },
    body: JSON.stringify({ name: uniqueName('nb'), private: isPrivate }),
  });
  if (res.status !== 201) throw new Error(`notebook: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Milliseconds from just before `act` starts until `done` settles. */
async function timed(act: () => Promise<unknown>, done: Promise<unknown>): Promise<number> {
  const started = performance.now();
  await act();
  await done;
  return performance.now() - started;
}

/** When the client's copy of the text first holds `s`. */
function seen(client: Client, s: string): Promise<void> {
  const text = client.doc.getText('t');
  return new Promise((resolve) => {
    const check = () => {
      if (!text.toString().includes(s)) return;
      text.unobserve(check);
      resolve();
    };
    text.observe(check);
    check();
  });
}

export async function measureRevocation(dataDir: string, trials: number): Promise<RevocationResult> {
  const server = await spawnServer(dataDir, { ATRIUM_SEED: '0' });
  const { url } = server;
  const clients: Client[] = [];
  const open = async (doc: string, credentials: Credentials) => {
    const c = connectClient(server, doc, credentials);
    clients.push(c);
    await synced(c);
    return c;
  };
  const result: RevocationResult = {
    removed: [],
    madePrivate: [],
    tokenRevoked: [],
    signedOut: [],
    relayed: [],
    refused: [],
  };
  try {
    await createUser(url);
    const [owner, other, outsider] = [await createUser(url), await createUser(url), await createUser(url)];
    for (let i = 0; i < trials; i++) {
      const id = await notebook(url, owner, true);
      await setCollaborator(url, owner, 'notebook', id, other.name, 'write');
      const mine = await open(`notebooks/${id}`, { cookie: owner.cookie });
      const theirs = await open(`notebooks/${id}`, { cookie: other.cookie });
      const mark = `edit-${i};`;
      result.relayed.push(await timed(async () => mine.doc.getText('t').insert(0, mark), seen(theirs, mark)));
      result.removed.push(
        await timed(() => removeCollaborator(url, owner, 'notebook', id, other.name), closedWith(theirs)),
      );
      const started = performance.now();
      const fresh = connectClient(server, `notebooks/${id}`, { cookie: outsider.cookie });
      clients.push(fresh);
      await closedWith(fresh);
      result.refused.push(performance.now() - started);

      const pub = await notebook(url, owner, false);
      const visitors = await Promise.all(
        Array.from({ length: VISITORS }, () => open(`notebooks/${pub}`, null)),
      );
      result.madePrivate.push(
        await timed(
          () => setPrivate(url, owner, 'notebook', pub, true),
          Promise.all(visitors.map((v) => closedWith(v))),
        ),
      );

      const user = await createUser(url);
      const own = await notebook(url, user, true);
      const byToken = await open(`notebooks/${own}`, { token: user.token });
      const tokenId = await tokenIdOf(url, user);
      result.tokenRevoked.push(await timed(() => revokeToken(url, user, tokenId), closedWith(byToken)));
      const bySession = await open(`notebooks/${own}`, { cookie: user.cookie });
      result.signedOut.push(await timed(() => logOut(url, user), closedWith(bySession)));

      for (const c of clients.splice(0)) c.destroy();
    }
  } finally {
    for (const c of clients) c.destroy();
    server.child.kill();
    await server.exited;
  }
  return result;
}
