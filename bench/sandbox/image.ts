// Building the sandbox image from nothing (`force`: no Docker cache, as on a fresh machine), beside
// `docker build --no-cache` of a FROM scratch image holding one file of the same size, in the same run:
// how much of the build is Docker taking in that many bytes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSandboxImage } from '@atrium/sandbox/image/ensureSandboxImage';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import { median, printTable } from '../lib/stats.js';

const RUNS = Number(process.env.BENCH_IMAGE_RUNS ?? 3);

function peerBuild(bytes: number): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-image-peer-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n');
    const fd = fs.openSync(path.join(dir, 'blob'), 'w');
    for (let left = bytes; left > 0; left -= 1 << 20) fs.writeSync(fd, randomBytes(Math.min(left, 1 << 20)));
    fs.closeSync(fd);
    const t = performance.now();
    execFileSync('docker', ['build', '--no-cache', '-q', '-t', 'atrium-bench-image-peer', dir], {
      stdio: 'ignore',
    });
    return performance.now() - t;
  } finally {
    execFileSync('docker', ['rmi', '-f', 'atrium-bench-image-peer'], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchImage(): Promise<void> {
  const { docker } = new DockerDriver(createLogger('silent'));
  const builds: number[] = [];
  const peers: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const image = await ensureSandboxImage({ docker, force: true });
    builds.push(image.buildMs);
    size = image.sizeBytes;
    peers.push(peerBuild(size));
  }
  printTable(
    `Sandbox image built from nothing (${(size / 1048576).toFixed(0)} MiB), median of ${RUNS} (ms)`,
    ['what', 'ms', 'goal'],
    [
      ['hash, pack and build the sandbox image (`force`)', median(builds), '≤ 30000'],
      ['peer: `docker build --no-cache` FROM scratch + one file of the same size', median(peers), '—'],
      ['ratio', median(builds) / median(peers), '—'],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchImage();
