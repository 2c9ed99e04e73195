import { collabDocumentName } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { deleteRepo } from '../access/accessChanges.js';
import { type Client, connectClient, synced, until } from '../collab/collabClients.js';
import {
  bearer,
  createUser,
  hasDocker,
  startTestServer,
  type TestServer,
  type TestUser,
  uniqueName,
} from '../harness/index.js';
import {
  cellOf,
  createNotebook,
  kernelCall,
  kernelStatusIn,
  notebookOf,
  streamText,
} from './notebookClient.js';

const PRINT_2S =
  'for (let i = 0; i < 10; i++) { console.log(`line ${i}`); await new Promise((r) => setTimeout(r, 200)); }';
const FOREVER =
  'let n = 0; while (true) { console.log(`tick ${n++}`); await new Promise((r) => setTimeout(r, 100)); }';

describe.skipIf(!hasDocker())('notebook execution into the live document', () => {
  let server: TestServer;
  let owner: TestUser;
  let viewer: TestUser;
  const clients: Client[] = [];
  const open = async (id: string, user: TestUser | null) => {
    const c = connectClient(
      server,
      collabDocumentName('notebook', id),
      user ? { cookie: user.cookie } : null,
    );
    clients.push(c);
    await synced(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await server.services.runtime.whenReady();
    owner = await createUser(server.url);
    viewer = await createUser(server.url);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('streams a 2 s run into every client live, sets execution_count at the end and records who ran it', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf([PRINT_2S, 'const x: number = 40; x + 2']),
    });
    const watcher = await open(id, viewer);
    const res = await kernelCall(server.url, owner.token, id, 'run', { all: true });
    expect(res.status).toBe(202);
    await until(() => streamText(watcher.doc, 'c0').includes('line 2'), 60_000, 'first lines');
    // Lines arrive while the cell still runs: not all at the end.
    expect(cellOf(watcher.doc, 'c0')?.get('execution_state')).toBe('running');
    expect(streamText(watcher.doc, 'c0')).not.toContain('line 9');
    await until(() => cellOf(watcher.doc, 'c1')?.get('execution_count') != null, 30_000, 'second cell done');
    const first = cellOf(watcher.doc, 'c0') as Y.Map<unknown>;
    expect(first.get('execution_count')).toBe(1);
    // Consecutive stream output merged into one output.
    expect((first.get('outputs') as Y.Array<unknown>).length).toBe(1);
    expect(streamText(watcher.doc, 'c0')).toBe(Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join(''));
    const result = (
      (cellOf(watcher.doc, 'c1') as Y.Map<unknown>).get('outputs') as Y.Array<Y.Map<unknown>>
    ).get(0);
    expect(result.get('output_type')).toBe('execute_result');
    expect((result.get('data') as Record<string, string>)['text/plain']).toBe('42');
    expect((first.get('metadata') as Y.Map<unknown>).get('atrium')).toMatchObject({
      executed_by: owner.name,
    });
    await until(
      () =>
        kernelStatusIn(watcher.provider.awareness.getStates() as Map<number, Record<string, unknown>>)
          ?.state === 'idle',
      5000,
      'kernel idle',
    );

    // The outputs outlive every client: export reads them from the stored document.
    const exported = await (
      await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(owner.token) })
    ).json();
    expect(exported.cells[0].outputs[0].text).toHaveLength(10);
    expect(exported.cells[1].execution_count).toBe(2);
  });

  it('lets another collaborator interrupt a running cell and drops the queued ones', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf([FOREVER, 'console.log("never")']),
    });
    const collaborator = await createUser(server.url);
    const put = await fetch(`${server.url}/api/notebooks/${id}/collaborators/${collaborator.name}`, {
      method: 'PUT',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'write' }),
    });
    expect(put.status).toBeLessThan(300);
    const watcher = await open(id, collaborator);
    await kernelCall(server.url, owner.token, id, 'run', { all: true });
    await until(() => streamText(watcher.doc, 'c0').includes('tick 3'), 60_000, 'ticks');
    const res = await kernelCall(server.url, collaborator.token, id, 'interrupt');
    expect(res.status).toBe(200);
    await until(() => cellOf(watcher.doc, 'c0')?.get('execution_state') === 'idle', 10_000, 'interrupted');
    const outputs = (
      (cellOf(watcher.doc, 'c0') as Y.Map<unknown>).get('outputs') as Y.Array<Y.Map<unknown>>
    ).toArray();
    expect(outputs.some((o) => o.get('output_type') === 'error')).toBe(true);
    // Once the kernel reports nothing running and nothing queued, the dropped cell can no longer start.
    await until(
      () => {
        const status = kernelStatusIn(
          watcher.provider.awareness.getStates() as Map<number, Record<string, unknown>>,
        );
        return status?.state === 'idle' && status.running === null && status.queued.length === 0;
      },
      10_000,
      'the kernel to be idle with an empty queue',
    );
    expect(streamText(watcher.doc, 'c1')).toBe('');
    // The kernel survives an interrupt: the next run works in the same kernel.
    await kernelCall(server.url, collaborator.token, id, 'run', { cells: ['c1'] });
    await until(() => cellOf(watcher.doc, 'c1')?.get('execution_count') != null, 20_000, 'next run');
    expect(streamText(watcher.doc, 'c1')).toBe('never\n');
  });

  it('restarts the shared kernel: variables are gone and counting starts again', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf(['var kept = 41; kept + 1', 'typeof kept']),
    });
    const watcher = await open(id, owner);
    await kernelCall(server.url, owner.token, id, 'run', { cells: ['c0'] });
    await until(() => cellOf(watcher.doc, 'c0')?.get('execution_count') != null, 60_000, 'first run');
    const res = await kernelCall(server.url, owner.token, id, 'restart');
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe('idle');
    await kernelCall(server.url, owner.token, id, 'run', { cells: ['c1'] });
    await until(() => cellOf(watcher.doc, 'c1')?.get('execution_count') != null, 30_000, 'run after restart');
    expect(cellOf(watcher.doc, 'c1')?.get('execution_count')).toBe(1);
    const result = (
      (cellOf(watcher.doc, 'c1') as Y.Map<unknown>).get('outputs') as Y.Array<Y.Map<unknown>>
    ).get(0);
    expect((result.get('data') as Record<string, string>)['text/plain']).toContain('undefined');
  });

  it('caps a run that prints too much with a clear notice in the cell', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), {
      notebook: notebookOf(['for (let i = 0; i < 40; i++) console.log("y".repeat(100_000));']),
    });
    const watcher = await open(id, owner);
    await kernelCall(server.url, owner.token, id, 'run', { all: true });
    await until(() => cellOf(watcher.doc, 'c0')?.get('execution_count') != null, 60_000, 'big run');
    const text = streamText(watcher.doc, 'c0');
    expect(text).toContain('output truncated');
    expect(text.length).toBeLessThan(2.2 * 1024 * 1024);
  });

  it('ends the notebook’s kernel soon after the notebook is deleted', async () => {
    const name = uniqueName('nb');
    const id = await createNotebook(server.url, owner, name, { notebook: notebookOf(['1']) });
    const watcher = await open(id, owner);
    await kernelCall(server.url, owner.token, id, 'run', { all: true });
    await until(() => cellOf(watcher.doc, 'c0')?.get('execution_count') != null, 60_000, 'run');
    const kernelsOf = () => server.services.runtime.kernels.list().filter((k) => k.key === `notebooks/${id}`);
    expect(kernelsOf()).toHaveLength(1);
    const res = await deleteRepo(server.url, owner, 'notebook', id);
    expect(res.status).toBeLessThan(300);
    await until(() => kernelsOf().length === 0, 20_000, 'kernel shut down');
  });

  it('refuses runs, interrupts and restarts from readers with a clear error', async () => {
    const id = await createNotebook(server.url, owner, uniqueName('nb'), { notebook: notebookOf(['1 + 1']) });
    for (const verb of ['run', 'interrupt', 'restart'] as const) {
      const res = await kernelCall(
        server.url,
        viewer.token,
        id,
        verb,
        verb === 'run' ? { all: true } : undefined,
      );
      expect(res.status).toBe(403);
      expect((await res.json()).error).toMatch(/read this notebook but not run it/);
    }
    const anonymous = await fetch(`${server.url}/api/notebooks/${id}/run`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const missing = await kernelCall(server.url, owner.token, `${owner.name}/nope`, 'run', { all: true });
    expect(missing.status).toBe(404);
    const bad = await kernelCall(server.url, owner.token, id, 'run', { cells: 'c0' });
    expect(bad.status).toBe(400);
  });

  it('answers bad imports with a 4xx and creates nothing', async () => {
    const name = uniqueName('nb');
    const res = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name, notebook: { nbformat: 3, cells: [] } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/nbformat 3/);
    const info = await fetch(`${server.url}/api/notebooks/${owner.name}/${name}`, {
      headers: bearer(owner.token),
    });
    expect(info.status).toBe(404);
    const huge = await fetch(`${server.url}/api/notebooks/new`, {
      method: 'POST',
      headers: { ...bearer(owner.token), 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        notebook: { nbformat: 4, cells: [], metadata: { pad: 'x'.repeat(60 * 1024 * 1024) } },
      }),
    });
    expect(huge.status).toBe(413);
  });
});
