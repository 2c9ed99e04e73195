// Shared steps of `npm start` and `npm test`: install when needed, build when sources changed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_STAMP = path.join(root, 'node_modules', '.atrium-build-stamp');
/** What the build reads; a change to any of these makes `npm start` rebuild. */
const BUILD_INPUTS = [
  'protocol/src',
  'server/src',
  'sandbox/src',
  'client/src',
  'client/index.html',
  'client/vite.config.ts',
];

export function run(cmd, args, extraEnv = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip',
      TURBO_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
  });
  if (result.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const mtime = (p) => {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
};

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  if (installed && installed >= mtime(path.join(root, 'package-lock.json'))) return;
  console.log('▸ installing dependencies (first run)…');
  run(
    'npm',
    fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install'],
  );
}

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Builds every package through turbo unless nothing changed since the last build. */
export function ensureBuilt({ force = false } = {}) {
  const stamp = mtime(BUILD_STAMP);
  const newest = Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(root, p))));
  const outputs = ['server/dist/main.js', 'client/dist/index.html', 'protocol/dist/index.js'];
  if (!force && stamp > newest && outputs.every((o) => fs.existsSync(path.join(root, o)))) return;
  console.log('▸ building…');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);
  fs.writeFileSync(BUILD_STAMP, new Date().toISOString());
}

/** Whether a Docker engine answers. */
export function dockerAvailable() {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    stdio: 'pipe',
    timeout: 10_000,
  });
  return r.status === 0;
}
