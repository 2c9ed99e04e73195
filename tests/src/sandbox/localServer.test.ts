// A whole Atrium server whose sandboxes are local processes (LocalProcessDriver, no Docker): the
// kernel API and a Space's build, run and call work the same, in seconds. No isolation is claimed.
import fs from 'node:fs';
import { LocalProcessDriver, localRunnerCommand } from '@atrium/server/runtime/LocalProcessDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createUser,
  startTestServer,
  type TestServer,
  type TestUser,
  tempDataDir,
} from '../harness/index.js';
import { api, callApp, spaceWithApp, waitForStage } from '../spaces/runtimeTesting.js';
import { execute, startKernel, uniqueInstance } from './sandboxTesting.js';

describe('an Atrium server on the local-process driver', () => {
  let baseDir: string;
  let server: TestServer;
  let ada: TestUser;

  beforeAll(async () => {
    baseDir = tempDataDir('atrium-local-server');
    server = await startTestServer(
      { instanceId: uniqueInstance(), sandboxPoolSize: 0, sandboxPoolEager: false },
      { sandboxDriver: new LocalProcessDriver({ baseDir, runnerCommand: localRunnerCommand }) },
    );
    await server.services.runtime.whenReady();
    ada = await createUser(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(baseDir, { recursive: true, force: true });
  });

  it('reports its sandboxes ready without building an image', async () => {
    const health = (await api(server.url, '/api/health')).body;
    expect(health.checks.sandboxImage).toMatchObject({ ok: true, state: 'present' });
  });

  it('starts a kernel through the API and runs a cell', async () => {
    const kernel = await startKernel(server.url, bearer(ada.token));
    const reply = await execute(server.url, bearer(ada.token), kernel.id, 'const x = 6; x * 7');
    expect(reply.result?.['text/plain']).toBe('42');
  });

  it('builds a Space from a template, runs it and answers a call', async () => {
    const id = await spaceWithApp(server.url, ada, 'hello-local');
    const view = await waitForStage(server.url, id, ['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR']);
    expect(view).toMatchObject({ stage: 'RUNNING' });
    expect(await callApp(server.url, id, ['Ada'])).toEqual(['Hello, Ada!']);
  });
});
