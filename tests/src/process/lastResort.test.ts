import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, tempDataDir } from '../harness/index.js';

/**
 * A failure planted in the server process on SIGUSR2, standing for a bug nobody has found yet: an
 * unhandled rejection and an exception thrown from a callback.
 */
const PLANTED = `data:text/javascript,${encodeURIComponent(`process.on('SIGUSR2', () => {
  Promise.reject(new Error('planted rejection'));
  setImmediate(() => { throw new Error('planted exception'); });
});`)}`;

describe('the server process', () => {
  let proc: ServerProcess | undefined;
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    if (proc) {
      await proc.exited;
      fs.rmSync(proc.dataDir, { recursive: true, force: true });
    }
  });

  it('logs an unhandled rejection and an uncaught exception and keeps serving', async () => {
    proc = await spawnServer(tempDataDir('atrium-last-resort'), {
      ATRIUM_SEED: '0',
      NODE_OPTIONS: `--import=${PLANTED}`,
    });
    let output = '';
    proc.child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    proc.child.kill('SIGUSR2');
    for (
      const deadline = Date.now() + 30_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 50))
    )
      if (output.includes('planted exception')) break;
    expect(output).toMatch(/"msg":"unhandled rejection \(a bug; the server keeps serving\)"/);
    expect(output).toContain('planted rejection');
    expect(output).toMatch(/"msg":"uncaught exception \(a bug; the server keeps serving\)"/);
    expect((await fetch(`${proc.url}/api/health`)).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  });
});
