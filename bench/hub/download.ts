// Downloading a 1 GB file over loopback (goal ≥ 0.8 of the peer), from Atrium's /resolve/ and from a
// bare node:http + fs.createReadStream server streaming the very same blob file, alternately, with
// curl as the client in its own process. Both servers run as child processes.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lfsGitOid } from '@atrium/server/hub/gitOid';
import { signUp } from '../lib/accounts.js';
import { median, printTable } from '../lib/stats.js';
import { startInProcess } from './seed.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const SIZE = Number(process.env.DOWNLOAD_MB ?? 1024) * 1024 * 1024;
const RUNS = Number(process.env.RUNS ?? 5);

async function waitFor(url: string) {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(url, { method: 'HEAD' })).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered`);
}

/** Bytes per second curl measured for one full download. */
const curlSpeed = (url: string) =>
  Number(
    execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{speed_download}', url], {
      encoding: 'utf8',
      timeout: 120_000,
    }),
  );

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export async function benchDownload() {
  const { atrium, dataDir } = await startInProcess();
  await signUp(atrium.url, 'bench-owner');
  const { services } = atrium;
  const actor = (await services.accounts.findByName('bench-owner'))!;
  const { createRepo } = await import('@atrium/server/hub/commands/createRepo');
  const repo = await createRepo(services, actor, { type: 'model', name: 'big' });
  // A 1 GB file written in 1 MB random chunks, hashed as it streams into the blob store.
  const tmp = path.join(dataDir, 'big.bin');
  const fd = fs.openSync(tmp, 'w');
  const chunk = randomBytes(1024 * 1024);
  for (let i = 0; i < SIZE / chunk.length; i++) {
    chunk.writeUInt32LE(i, 0);
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  const { sha256, size } = await services.hub.blobs.putStream(fs.createReadStream(tmp));
  fs.rmSync(tmp);
  await services.hub.repos.commit({
    repoId: repo.id,
    branch: 'main',
    authorId: actor.id,
    authorName: actor.name,
    title: 'big',
    message: '',
    createdAt: new Date().toISOString(),
    changes: {
      put: [{ path: 'model.bin', sha256, size, gitOid: lfsGitOid(sha256, size), lfs: true }],
      deleteFiles: [],
      deleteFolders: [],
    },
  });
  await atrium.close();

  const port = 3941;
  const atriumProc = spawn(process.execPath, [path.join(root, 'server/dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ATRIUM_DATA_DIR: dataDir,
      ATRIUM_LOG_LEVEL: 'warn',
      ATRIUM_SEED: '0',
    },
    stdio: 'ignore',
  });
  const peerProc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'bareFileServer.ts')], {
    cwd: path.join(root, 'bench'),
    env: { ...process.env, PORT: String(port + 1), FILE: services.hub.blobs.localFile(sha256) ?? '' },
    stdio: 'ignore',
  });
  try {
    const atriumUrl = `http://127.0.0.1:${port}/bench-owner/big/resolve/main/model.bin`;
    const peerUrl = `http://127.0.0.1:${port + 1}/`;
    await waitFor(atriumUrl);
    await waitFor(peerUrl);
    curlSpeed(peerUrl); // warm the page cache
    const a: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(curlSpeed(atriumUrl));
      p.push(curlSpeed(peerUrl));
    }
    const mb = (b: number) => b / 1024 / 1024;
    printTable(
      `Hub: downloading a ${SIZE / 1024 / 1024} MB file over loopback (curl, median of ${RUNS}, MB/s)`,
      ['server', 'median MB/s', 'min MB/s', 'max MB/s', 'ratio to peer'],
      [
        [
          'Atrium GET /{id}/resolve/main/model.bin',
          mb(median(a)),
          mb(Math.min(...a)),
          mb(Math.max(...a)),
          median(a) / median(p),
        ],
        [
          'peer: bare node:http + fs.createReadStream',
          mb(median(p)),
          mb(Math.min(...p)),
          mb(Math.max(...p)),
          1,
        ],
      ],
    );
  } finally {
    await stop(atriumProc);
    await stop(peerProc);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
