import { CloseCode, DEMOTED_REASON, movedTo } from '@atrium/protocol';
import type { DocumentAccess } from '@atrium/server/collab/DocumentAccess';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addCollaborator,
  type Client,
  type Credentials,
  clientPool,
  closedWith,
  makeRepo,
  storedText,
  synced,
  until,
} from '../collab/collabClients.js';
import { createUser, startTestServer, type TestServer, type TestUser, uniqueName } from '../harness/index.js';
import {
  createOrg,
  deleteRepo,
  logInAgain,
  logOut,
  moveRepo,
  removeCollaborator,
  removeOrgMember,
  revokeToken,
  setCollaborator,
  setOrgMember,
  setPrivate,
} from './accessChanges.js';

// A generous tripwire for a hang; the figure (goal ≤ 1 s) is measured in bench/access.
const CLOSE_WITHIN_MS = 5_000;

let server: TestServer;
let owner: TestUser;
let other: TestUser;
const pool = clientPool(() => server);
const open = pool.open;
const text = (c: Client) => c.doc.getText('t').toString();
const type = (c: Client, s: string) => c.doc.getText('t').insert(text(c).length, s);
const stored = (doc: string) => storedText(server, doc);

/** A private notebook with `other` as a writer, both connected and synced. */
async function sharedNotebook() {
  const repo = await makeRepo(server, owner, 'notebook', { private: true });
  await addCollaborator(server, 'notebook', repo, other, 'write');
  const doc = `notebooks/${repo}`;
  const mine = open(doc, { cookie: owner.cookie });
  const theirs = open(doc, { cookie: other.cookie });
  await Promise.all([synced(mine), synced(theirs)]);
  return { repo, doc, mine, theirs };
}

/**
 * Two sockets of one user on one document: `change` must close `gone` with `code` and leave `kept`
 * connected, its edits still stored.
 */
async function closesOnlyOne(
  doc: string,
  gone: Credentials,
  kept: Credentials,
  change: () => Promise<unknown>,
  code: number,
): Promise<void> {
  const [a, b] = [open(doc, gone), open(doc, kept)];
  await Promise.all([synced(a), synced(b)]);
  const closed = closedWith(a, CLOSE_WITHIN_MS);
  let keptClosed = false;
  b.provider.on('connection-close', () => {
    keptClosed = true;
  });
  await change();
  expect(await closed).toMatchObject({ code });
  type(b, 'still here');
  await until(async () => (await stored(doc)).includes('still here'), 5_000, 'the kept socket’s edit stored');
  expect(keptClosed).toBe(false);
}

beforeAll(async () => {
  server = await startTestServer({ collabIdleMs: 300 });
  // The first account is the instance admin, who may do everything: keep it out of the roles under test.
  await createUser(server.url);
  [owner, other] = await Promise.all([createUser(server.url), createUser(server.url)]);
});
afterAll(async () => {
  pool.destroy();
  await server.stop();
});

describe('losing access closes live documents', () => {
  it('closes a removed collaborator’s socket with AccessRevoked, and what they type after is neither stored nor relayed', async () => {
    const { repo, doc, mine, theirs } = await sharedNotebook();
    type(theirs, 'before ');
    await until(() => text(mine) === 'before ', 5_000, 'the edit made before the revocation');

    const closed = closedWith(theirs, CLOSE_WITHIN_MS);
    await removeCollaborator(server.url, owner, 'notebook', repo, other.name);
    // Typed after the owner's request was answered: the server has already stopped taking it.
    type(theirs, 'after');
    expect(await closed).toMatchObject({ code: CloseCode.AccessRevoked });
    type(mine, 'owner ');
    await until(async () => (await stored(doc)).includes('owner '), 5_000, 'the owner’s edit stored');
    expect(await stored(doc)).not.toContain('after');
    expect(text(mine)).toBe('before owner ');
    expect(text(theirs)).not.toContain('owner');
  });

  it('closes a socket whose collaborator role is removed while its permission is being checked', async () => {
    const repo = await makeRepo(server, owner, 'notebook', { private: true });
    await addCollaborator(server, 'notebook', repo, other, 'write');
    const doc = `notebooks/${repo}`;
    // biome-ignore lint/complexity/useLiteralKeys: the access checker is private to the collab server; only this test reaches in.
    const access: DocumentAccess = server.services.collab['options'].access;
    const permissionOf = access.permission;
    // The removal lands (and is announced) after the query read 'write' and before the socket is watched.
    const racing = vi.spyOn(access, 'permission').mockImplementation(async (identity, ref) => {
      const permission = await permissionOf(identity, ref);
      if (ref.name === doc && identity.user?.name === other.name)
        await removeCollaborator(server.url, owner, 'notebook', repo, other.name);
      return permission;
    });
    try {
      const theirs = open(doc, { cookie: other.cookie });
      expect(await closedWith(theirs, CLOSE_WITHIN_MS)).toMatchObject({ code: CloseCode.AccessRevoked });
    } finally {
      racing.mockRestore();
    }
  });

  it('demotes an editor whose role became read to a viewer in place: the socket stays, their edits are refused with a reason', async () => {
    const { repo, doc, mine, theirs } = await sharedNotebook();
    const reasons: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => {
      reasons.push(String(message));
    });
    let closes = 0;
    theirs.provider.on('connection-close', () => closes++);

    await setCollaborator(server.url, owner, 'notebook', repo, other.name, 'read');
    await until(
      () => reasons.some((r) => r.includes(DEMOTED_REASON)),
      CLOSE_WITHIN_MS,
      'the demotion notice',
    );
    type(theirs, 'refused');
    type(mine, 'still relayed');
    await until(() => text(theirs).includes('still relayed'), 5_000, 'the owner’s edit reaching the viewer');
    await until(async () => (await stored(doc)).includes('still relayed'), 5_000, 'the owner’s edit stored');
    warn.mockRestore();
    expect(text(mine)).toBe('still relayed');
    expect(await stored(doc)).not.toContain('refused');
    expect(closes).toBe(0);
  });

  it('closes the sockets of readers and anonymous visitors when a public document is made private, and keeps the owner’s', async () => {
    const repo = await makeRepo(server, owner, 'space');
    const doc = `spaces/${repo}`;
    const mine = open(doc, { cookie: owner.cookie });
    const reader = open(doc, { token: other.token });
    const anonymous = open(doc, null);
    await Promise.all([synced(mine), synced(reader), synced(anonymous)]);
    const closes = [closedWith(reader, CLOSE_WITHIN_MS), closedWith(anonymous, CLOSE_WITHIN_MS)];
    let ownerClosed = false;
    mine.provider.on('connection-close', () => {
      ownerClosed = true;
    });

    await setPrivate(server.url, owner, 'space', repo, true);
    for (const closed of await Promise.all(closes)) expect(closed.code).toBe(CloseCode.AccessRevoked);
    type(mine, 'private now');
    await until(async () => (await stored(doc)).includes('private now'), 5_000, 'the owner’s edit stored');
    expect(ownerClosed).toBe(false);
  });

  it('closes a member’s socket on an organization’s private document when they are removed from it', async () => {
    const org = uniqueName('org');
    await createOrg(server.url, owner, org);
    await setOrgMember(server.url, owner, org, other.name, 'write');
    const res = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: uniqueName('nb'), organization: org, private: true }),
    });
    const { id } = (await res.json()) as { id: string };
    const member = open(`notebooks/${id}`, { cookie: other.cookie });
    await synced(member);
    const closed = closedWith(member, CLOSE_WITHIN_MS);

    await removeOrgMember(server.url, owner, org, other.name);
    expect(await closed).toMatchObject({ code: CloseCode.AccessRevoked });
  });

  it('closes the sockets opened with a revoked token, and leaves the same user’s session sockets open', async () => {
    const user = await createUser(server.url);
    const doc = `notebooks/${await makeRepo(server, user, 'notebook')}`;
    await closesOnlyOne(
      doc,
      { token: user.token },
      { cookie: user.cookie },
      () => revokeToken(server.url, user),
      CloseCode.AccessRevoked,
    );
  });

  it('closes a signed-out session’s sockets with SessionEnded, and leaves the user’s other session open', async () => {
    const user = await createUser(server.url);
    const laptop = await logInAgain(server.url, user);
    const doc = `notebooks/${await makeRepo(server, user, 'notebook', { private: true })}`;
    await closesOnlyOne(
      doc,
      { cookie: user.cookie },
      { cookie: laptop.cookie },
      () => logOut(server.url, user),
      CloseCode.SessionEnded,
    );
  });
});

describe('deleting and renaming', () => {
  it('closes a deleted document’s sockets with DocumentDeleted; a new repository of that name starts from its own content', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const doc = `notebooks/${repo}`;
    const before = open(doc, { cookie: owner.cookie });
    await synced(before);
    type(before, 'from the deleted notebook');
    await until(
      async () => (await stored(doc)).includes('from the deleted notebook'),
      5_000,
      'the edit stored',
    );
    const closed = closedWith(before, CLOSE_WITHIN_MS);

    await deleteRepo(server.url, owner, 'notebook', repo);
    expect(await closed).toMatchObject({ code: CloseCode.DocumentDeleted });
    const again = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...owner.sessionHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: repo.split('/')[1] }),
    });
    expect(again.status).toBe(201);
    const after = open(doc, { cookie: owner.cookie });
    await synced(after);
    expect(text(after)).toBe('');
  });

  it('closes the old name’s sockets with DocumentMoved naming the new document, whose room holds the unsaved edits', async () => {
    const repo = await makeRepo(server, owner, 'notebook');
    const renamed = `${owner.name}/${uniqueName('renamed')}`;
    const doc = `notebooks/${repo}`;
    const editor = open(doc, { cookie: owner.cookie });
    await synced(editor);
    type(editor, 'unsaved work');
    await until(async () => (await stored(doc)).includes('unsaved work'), 5_000, 'the edit stored');
    const closed = closedWith(editor, CLOSE_WITHIN_MS);

    await moveRepo(server.url, owner, 'notebook', repo, renamed);
    const close = await closed;
    expect(close.code).toBe(CloseCode.DocumentMoved);
    expect(movedTo(close.reason)).toBe(`notebooks/${renamed}`);
    const moved = open(`notebooks/${renamed}`, { cookie: owner.cookie });
    await synced(moved);
    expect(text(moved)).toBe('unsaved work');
    // The old name is free again: nothing of the renamed notebook is left under it.
    expect(await stored(doc)).toBe('');
    const stale = open(doc, { cookie: owner.cookie });
    expect(await closedWith(stale)).toMatchObject({ code: CloseCode.Forbidden });
  });
});
