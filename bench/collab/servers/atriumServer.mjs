// Atrium in a child process of the benchmark, so its memory is its own; `--expose-gc` lets the
// benchmark ask for a full collection before reading memory (IPC {type:'mem'}).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startAtrium } from '@atrium/server';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-collab-'));
const atrium = await startAtrium(
  loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    ATRIUM_DATA_DIR: dataDir,
    ATRIUM_SEED: '0',
    ATRIUM_LOG_LEVEL: 'warn',
    ATRIUM_AUTH_RATE_LIMIT: '100000',
  }),
);
process.on('message', async (msg) => {
  if (msg?.type === 'mem') {
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    process.send?.({ type: 'mem', ...process.memoryUsage() });
  } else if (msg?.type === 'stop') {
    await atrium.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
// The sandbox runtime checks its image at start-up (hashing files, running ldd); measure after it.
const runtimeReady = atrium.services.runtime?.startInBackground?.();
await Promise.race([runtimeReady, new Promise((r) => setTimeout(r, 120_000))]);
process.send?.({ type: 'ready', url: atrium.url });

// The benchmark went away: so do we.
process.on('disconnect', () => process.exit(0));
