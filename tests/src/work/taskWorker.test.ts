import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger } from '@atrium/server/logger';
import { TaskWorker } from '@atrium/server/work/TaskWorker';
import { afterEach, describe, expect, it } from 'vitest';
import { bigNotebook, notebookOf } from '../notebook/notebookClient.js';

// The real worker thread the server runs, built with other limits to reach them quickly.
const workerUrl = pathToFileURL(
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('@atrium/server/package.json')),
    'dist/work/workerMain.js',
  ),
);
const log = createLogger('silent');
const chunksOf = (value: unknown) => [Buffer.from(JSON.stringify(value))];
const importInput = (notebook: unknown) => ({
  body: chunksOf({ name: 'n', notebook }),
  docMaxBytes: 64 * 1024 * 1024,
});

let worker: TaskWorker | undefined;
afterEach(async () => {
  await worker?.close();
});

describe('the task worker', () => {
  it('stops a task that needs more than its heap with 413 too_much_memory, then runs the next one', async () => {
    worker = new TaskWorker(workerUrl, { heapMb: 48, maxQueued: 4, idleMs: 60_000 }, log);
    await expect(
      worker.run('importNotebook', importInput(bigNotebook(40_000_000)), { budgetMs: 120_000 }),
    ).rejects.toMatchObject({
      status: 413,
      id: 'too_much_memory',
    });
    expect(worker.restarts).toBe(1);
    const { notebook } = await worker.run('importNotebook', importInput(notebookOf(['1 + 1'])), {
      budgetMs: 60_000,
    });
    expect(notebook.cells).toBe(1);
  }, 180_000);

  it('stops a task that overruns its time budget with 413 too_slow, then runs the next one', async () => {
    worker = new TaskWorker(workerUrl, { heapMb: 1536, maxQueued: 4, idleMs: 60_000 }, log);
    await expect(
      worker.run('importNotebook', importInput(bigNotebook(10_000_000)), { budgetMs: 5 }),
    ).rejects.toMatchObject({
      status: 413,
      id: 'too_slow',
    });
    const { notebook } = await worker.run('importNotebook', importInput(notebookOf(['1'])), {
      budgetMs: 60_000,
    });
    expect(notebook.cells).toBe(1);
  }, 120_000);

  it('answers 503 busy at once when too many tasks wait, and the waiting ones still finish', async () => {
    worker = new TaskWorker(workerUrl, { heapMb: 1536, maxQueued: 2, idleMs: 60_000 }, log);
    const input = () => importInput(notebookOf(['1']));
    const accepted = [0, 1, 2].map(() => worker?.run('importNotebook', input(), { budgetMs: 60_000 }));
    await expect(worker.run('importNotebook', input(), { budgetMs: 60_000 })).rejects.toMatchObject({
      status: 503,
      id: 'busy',
    });
    for (const done of await Promise.all(accepted)) expect(done?.notebook.cells).toBe(1);
  }, 120_000);

  it("passes a task's own refusal through as it is", async () => {
    worker = new TaskWorker(workerUrl, { heapMb: 1536, maxQueued: 2, idleMs: 60_000 }, log);
    await expect(
      worker.run(
        'importNotebook',
        { body: [Buffer.from('{"name": "x", "notebook": {"nbformat": 3}}')], docMaxBytes: 1e6 },
        { budgetMs: 60_000 },
      ),
    ).rejects.toMatchObject({ status: 400, id: 'invalid_notebook' });
  }, 60_000);
});
