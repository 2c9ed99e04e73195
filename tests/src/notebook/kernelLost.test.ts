import fs from 'node:fs';
import { collabDocumentName } from '@atrium/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connectClient, synced, until } from '../collab/collabClients.js';
import {
  createUser,
  hasDocker,
  type ServerProcess,
  spawnServer,
  tempDataDir,
  uniqueName,
  waitFor,
} from '../harness/index.js';
import { containersOf, ensureImage, RUNTIMES, uniqueInstance } from '../sandbox/sandboxTesting.js';
import { cellOf, createNotebook, kernelCall, notebookOf, streamText } from './notebookClient.js';

const FOREVER =
  'let n = 0; while (true) { console.log(`tick ${n++}`); await new Promise((r) => setTimeout(r, 100)); }';

async function waitForImage(url: string): Promise<void> {
  await waitFor(
    async () => {
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        checks: { sandboxImage?: { state: string } };
      };
      return health.checks.sandboxImage?.state === 'present';
    },
    { what: 'the sandbox image to be present', timeout: 120_000, interval: 100 },
  );
}

describe.runIf(hasDocker()).each(RUNTIMES)('a cell running when the server is killed (%s)', (runtime) => {
  const procs: ServerProcess[] = [];
  const clients: Client[] = [];
  const instance = uniqueInstance();
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
      fs.rmSync(p.dataDir, { recursive: true, force: true });
    }
    // The restarted server reconciles the killed one's sandbox; make sure none outlives the test.
    await waitFor(() => containersOf(instance).length === 0, {
      what: "the killed server's sandboxes to be removed",
      timeout: 60_000,
      interval: 200,
    });
  });

  it('shows as interrupted after a restart, with an output saying the kernel was lost', async () => {
    ensureImage();
    const env = {
      ATRIUM_SEED: '0',
      ATRIUM_SANDBOX_RUNTIME: runtime,
      ATRIUM_SANDBOX_POOL_SIZE: '0',
      ATRIUM_INSTANCE_ID: instance,
    };
    const dataDir = tempDataDir('atrium-kernel-lost');
    const first = await spawnServer(dataDir, env);
    procs.push(first);
    await waitForImage(first.url);
    const owner = await createUser(first.url);
    const id = await createNotebook(first.url, owner, uniqueName('nb'), {
      notebook: notebookOf([FOREVER, '1 + 1']),
    });
    const doc = collabDocumentName('notebook', id);
    const watcher = connectClient(first, doc, { token: owner.token });
    clients.push(watcher);
    await synced(watcher);
    expect((await kernelCall(first.url, owner.token, id, 'run', { all: true })).status).toBe(202);
    await until(() => streamText(watcher.doc, 'c0').includes('tick 2'), 120_000, 'the cell to print');
    expect(cellOf(watcher.doc, 'c0')?.get('execution_state')).toBe('running');

    first.child.kill('SIGKILL');
    await first.exited;
    watcher.destroy();

    const second = await spawnServer(dataDir, env);
    procs.push(second);
    const reader = connectClient(second, doc, { token: owner.token });
    clients.push(reader);
    await synced(reader);
    const cell = cellOf(reader.doc, 'c0');
    expect(cell?.get('execution_state')).toBe('idle');
    expect(cell?.get('execution_count')).toBeNull();
    const outputs = (cell?.toJSON().outputs ?? []) as {
      output_type: string;
      ename?: string;
      evalue?: string;
    }[];
    // What it printed before stays; the last output says why it stopped.
    expect(outputs[0]?.output_type).toBe('stream');
    expect(outputs.at(-1)).toMatchObject({ output_type: 'error', ename: 'KernelLost' });
    expect(outputs.at(-1)?.evalue).toMatch(/kernel was lost/);
    // The queued cell never started, so it is as it was.
    expect(cellOf(reader.doc, 'c1')?.get('execution_state')).toBe('idle');
    // Stored, not only shown: a later reader sees the same.
    const later = connectClient(second, doc, { cookie: owner.cookie });
    clients.push(later);
    await synced(later);
    expect(cellOf(later.doc, 'c0')?.get('execution_state')).toBe('idle');
  }, 300_000);
});
