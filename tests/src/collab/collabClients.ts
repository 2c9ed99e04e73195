import type { RepoType } from '@atrium/protocol';
import { createRepo } from '@atrium/server/hub/commands/createRepo';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { TestServer, TestUser } from '../harness/index.js';
import { uniqueName, waitFor } from '../harness/index.js';

/** Credentials a client connects with: a session cookie, a bearer token, or nothing (anonymous). */
export type Credentials = { cookie: string } | { token: string } | null;

/** `ws` with the headers a browser (cookie) or an API client (Bearer) would send on the upgrade. */
export function authedWebSocket(credentials: Credentials): typeof WebSocket {
  const headers: Record<string, string> = {};
  if (credentials && 'cookie' in credentials) headers.cookie = credentials.cookie;
  if (credentials && 'token' in credentials) headers.authorization = `Bearer ${credentials.token}`;
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as typeof WebSocket;
}

/** The unmodified y-websocket client on its own Y.Doc. */
export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy: () => void;
}

export function connectClient(server: { url: string }, docName: string, credentials: Credentials): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, docName, doc, {
    WebSocketPolyfill: authedWebSocket(credentials) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Clients a suite opens, destroyed together at the end (`server` is read when a client opens). */
export function clientPool(server: () => { url: string }) {
  const clients: Client[] = [];
  return {
    open(docName: string, credentials: Credentials): Client {
      const c = connectClient(server(), docName, credentials);
      clients.push(c);
      return c;
    },
    destroy: () => {
      for (const c of clients.splice(0)) c.destroy();
    },
  };
}

/** Everything the server stored for a document (snapshot and log), as text to search in. */
export const storedText = async (server: TestServer, doc: string): Promise<string> =>
  (
    await sql<{ data: Uint8Array }>`SELECT data FROM collab_updates WHERE doc = ${doc}
      UNION ALL SELECT state FROM collab_snapshots WHERE doc = ${doc}`.execute(server.services.db.kysely)
  ).rows
    .map((r) => Buffer.from(r.data).toString('latin1'))
    .join('');

/** Resolves once the provider has completed its first sync with the server. */
export function synced(client: Client, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client did not sync in time')), timeoutMs);
    client.provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls until `check` holds, failing after `timeoutMs` (the harness's waitFor, in this file's older shape). */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  await waitFor(check, { what, timeout: timeoutMs, interval: 10 });
}

/** The close event the server sent to a provider that it refused (4400–4499 are permanent). */
export function closedWith(client: Client, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connection was not closed')), timeoutMs);
    client.provider.on('connection-close', (event) => {
      if (!event) return;
      clearTimeout(timer);
      resolve({ code: event.code, reason: event.reason });
    });
  });
}

/** Creates a repository owned by `owner` directly through the hub's command. */
export async function makeRepo(
  server: TestServer,
  owner: TestUser,
  type: RepoType,
  options: { private?: boolean } = {},
): Promise<string> {
  const actor = await server.services.accounts.findByName(owner.name);
  if (!actor) throw new Error(`no account ${owner.name}`);
  const name = uniqueName(type);
  await createRepo(server.services, actor, { type, name, private: options.private ?? false });
  return `${owner.name}/${name}`;
}

/** Gives `user` a role on a repository. */
export async function addCollaborator(
  server: TestServer,
  repoType: RepoType,
  repoId: string,
  user: TestUser,
  role: 'read' | 'write' | 'admin',
) {
  const [owner, name] = repoId.split('/') as [string, string];
  const repo = await server.services.hub.repos.find(repoType, owner, name);
  const account = await server.services.accounts.findByName(user.name);
  if (!repo || !account) throw new Error('repo or user missing');
  await server.services.hub.repos.setCollaborator(repo.id, account.id, role);
}
