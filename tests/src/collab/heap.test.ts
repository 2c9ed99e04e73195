import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser, tempDataDir, waitFor } from '../harness/index.js';
import { connectClient, synced } from './collabClients.js';

const ROOMS = 1_000;
const CYCLES = 10_000;
const IN_FLIGHT = 64;
const dataDir = tempDataDir('atrium-heap');
let child: ChildProcess;
let url: string;
let user: TestUser;
const names: string[] = [];

/** Idle rooms leave memory ATRIUM_COLLAB_IDLE_MS (200 ms here) after their last client. */
const allRoomsEvicted = () =>
  waitFor(
    async () => {
      const state = await ask();
      return state.rooms === 0 ? state : undefined;
    },
    { what: 'every room to be evicted', timeout: 60_000, interval: 200 },
  );

function ask(): Promise<{ heapUsed: number; rooms: number }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { heapUsed: number; rooms: number }));
    child.send({ type: 'heap' });
  });
}

async function cycles(count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const i = next++;
        const client = connectClient({ url }, `notebooks/${user.name}/${names[i % ROOMS]}`, {
          token: user.token,
        });
        await synced(client);
        client.provider.awareness.setLocalStateField('cursor', { index: i });
        client.doc.getText('t').insert(0, 'x');
        client.destroy();
      }
    }),
  );
}

beforeAll(async () => {
  child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/heapServer.mjs'), [], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      ATRIUM_DATA_DIR: dataDir,
      ATRIUM_SEED: '0',
      ATRIUM_LOG_LEVEL: 'warn',
      ATRIUM_COLLAB_IDLE_MS: '200',
      ATRIUM_AUTH_RATE_LIMIT: '10000',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  url = await new Promise<string>((resolve) =>
    child.once('message', (m) => resolve((m as { url: string }).url)),
  );
  await createUser(url); // the instance admin
  user = await createUser(url);
  for (let i = 0; i < ROOMS; i++) {
    const name = `heap-${i}`;
    const res = await fetch(`${url}/api/repos/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook', name }),
    });
    if (res.status >= 300) throw new Error(`repo creation failed: ${res.status}`);
    names.push(name);
  }
}, 180_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('memory', () => {
  it(`returns to its baseline heap (within 10%) after ${CYCLES} open/close cycles over ${ROOMS} rooms`, async () => {
    // Warm-up: every room opened once, so caches and compiled code exist before the baseline.
    await cycles(ROOMS);
    const baseline = (await allRoomsEvicted()).heapUsed;

    await cycles(CYCLES);
    const loaded = await ask();
    const state = await allRoomsEvicted();
    console.log(
      `heap: baseline ${(baseline / 1e6).toFixed(1)} MB, after ${CYCLES} cycles with rooms loaded ${(loaded.heapUsed / 1e6).toFixed(1)} MB, after eviction ${(state.heapUsed / 1e6).toFixed(1)} MB`,
    );
    expect(state.heapUsed).toBeLessThanOrEqual(baseline * 1.1);
    // A hang shows in each cycle's own waits; the total time only scales with the machine's load.
  }, 1_200_000);
});
