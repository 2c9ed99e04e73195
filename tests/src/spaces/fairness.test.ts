import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, startTestServer, type TestServer, type TestUser } from '../harness/index.js';
import { uniqueInstance } from '../sandbox/sandboxTesting.js';
import { api, readLog, waitForStage } from './runtimeTesting.js';

// The cap on running Space apps is shared fairly (issue 12 part 9): starting an app puts one of the
// busiest owner's apps to sleep, so one user's Spaces cannot put everyone else's to sleep.
describe.runIf(hasDocker())('a fair share of the cap on running apps', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    process.env.ATRIUM_SPACES_MAX_RUNNING = '2';
    try {
      server = await startTestServer({
        instanceId: uniqueInstance(),
        sandboxPoolSize: 0,
        sandboxPoolEager: false,
      });
    } finally {
      delete process.env.ATRIUM_SPACES_MAX_RUNNING;
    }
    await server.services.runtime.whenReady();
    alice = await createUser(server.url);
    bob = await createUser(server.url);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  });

  const startSpace = async (user: TestUser, name: string) => {
    const made = await api(server.url, '/api/spaces/from-template', {
      body: { template: 'blank-space', name },
      user,
    });
    expect(made.status).toBe(201);
    return waitForStage(server.url, `${user.name}/${name}`, ['RUNNING'], undefined, 120_000);
  };
  const stageOf = async (id: string) => {
    const [owner = '', name = ''] = id.split('/');
    const repo = await server.services.hub.repos.find('space', owner, name);
    if (!repo) throw new Error(`no Space ${id}`);
    return (await server.services.spaceRuntimes.view(repo, { wake: false })).stage;
  };

  it("puts the busiest owner's app to sleep, never another owner's that was visited longer ago", async () => {
    await startSpace(bob, 'quiet');
    await startSpace(alice, 'first');
    // Full: alice starting a second app puts her own to sleep, although bob's was visited before hers.
    await startSpace(alice, 'second');
    expect(await stageOf(`${bob.name}/quiet`)).toBe('RUNNING');
    expect(await stageOf(`${alice.name}/first`)).toBe('SLEEPING');
    expect(await stageOf(`${alice.name}/second`)).toBe('RUNNING');
    expect(server.services.spaceRuntimes.stats().apps).toBe(2);
    const log = await readLog(server.url, `${alice.name}/first`, 'build', (l) =>
      l.some((x) => x.startsWith('Sleeping')),
    );
    expect(log.lines).toContainEqual(
      `Sleeping: 2 apps may run at once, and ${alice.name} ran the most when ${alice.name}/second started`,
    );
  }, 300_000);
});
