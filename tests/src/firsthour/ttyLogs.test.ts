import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, tempDataDir, waitFor } from '../harness/index.js';

const serverMain = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@atrium/server/package.json')),
  'dist/main.js',
);
const hasScript = fs.existsSync('/usr/bin/script');

describe.runIf(hasScript)('the server’s log lines', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads as words in a terminal and stays JSON in a pipe', async () => {
    const dataDir = tempDataDir('atrium-tty');
    dirs.push(dataDir);
    // util-linux `script` gives the server a real pseudo-terminal as stdout, as `npm start` in a shell has.
    const child = spawn('script', ['-qfc', `${process.execPath} ${serverMain}`, '/dev/null'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_DATA_DIR: dataDir, ATRIUM_SEED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    try {
      await waitFor(() => out.includes('Atrium is listening'), {
        what: 'the listening line',
        timeout: 60_000,
      });
      const line = out.split('\n').find((l) => l.includes('Atrium is listening')) ?? '';
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] .*INFO.*: .*Atrium is listening/);
      expect(line.trimStart().startsWith('{')).toBe(false);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }

    const piped = await spawnServer(tempDataDir('atrium-pipe'), { ATRIUM_SEED: '0' });
    dirs.push(piped.dataDir);
    piped.child.kill('SIGTERM');
    await piped.exited;
    // spawnServer found the address in a JSON line ("url":"http…"), which is what a pipe receives.
    expect(piped.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 120_000);
});
