import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerProcess, spawnServer, tempDataDir } from '../harness/index.js';
import { type Runtime, uniqueInstance } from './sandboxTesting.js';

/**
 * A Docker API proxy between a test server and dockerd that remembers the session key each
 * sandbox's attach carries (the server's first line on stdin; `fixtures/keyTap.mjs`, in a process of
 * its own). It is the tests' only way to the key: it needs nothing from the server or the runner,
 * so neither is weakened to make the key reachable, and cell code (which cannot see the host) still
 * has no way to it.
 */
export interface KeyTap {
  /** Give the server `DOCKER_HOST=unix://<socketPath>`. */
  socketPath: string;
  /** Where the tap writes each key, in a file named by the container id. */
  keysDir: string;
  /** The hex key of a container's channel, once its attach carried it. */
  keyOf(containerId: string): string | undefined;
  close(): Promise<void>;
}

const keyTapScript = fileURLToPath(new URL('./fixtures/keyTap.mjs', import.meta.url));

export async function startKeyTap(dockerSocket = '/var/run/docker.sock'): Promise<KeyTap> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-tap-'));
  const socketPath = path.join(dir, 'docker.sock');
  const keysDir = path.join(dir, 'keys');
  fs.mkdirSync(keysDir);
  const child = spawn(process.execPath, [keyTapScript, socketPath, keysDir, dockerSocket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the key tap exited with ${code}`)));
  });
  return {
    ...readKeyTap(socketPath, keysDir),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The keys a tap (started elsewhere, e.g. by a benchmark's parent process) wrote. */
export function readKeyTap(socketPath: string, keysDir: string): KeyTap {
  return {
    socketPath,
    keysDir,
    keyOf: (id) => {
      const file = fs.readdirSync(keysDir).find((c) => id.startsWith(c) || c.startsWith(id));
      return file ? fs.readFileSync(path.join(keysDir, file), 'utf8') : undefined;
    },
    close: async () => {},
  };
}

/** A spawned server whose log is watched for failures that only its last-resort handlers caught. */
export interface WatchedServer extends ServerProcess {
  /** Log lines of errors that escaped to process.on('unhandledRejection' | 'uncaughtException'). */
  escapes: string[];
}

/** The server as a child process (so a test sees whether it survives) with sandboxes under `runtime`. */
export async function spawnSandboxServer(
  runtime: Runtime,
  env: Record<string, string> = {},
): Promise<WatchedServer> {
  const proc = await spawnServer(tempDataDir('atrium-hostile'), {
    ATRIUM_SEED: '0',
    ATRIUM_SANDBOX_RUNTIME: runtime,
    ATRIUM_SANDBOX_POOL_SIZE: '0',
    ATRIUM_SPACES_POOL_SIZE: '0',
    ATRIUM_INSTANCE_ID: uniqueInstance(),
    ...env,
  });
  const escapes: string[] = [];
  let partial = '';
  proc.child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = (lines.pop() ?? '').slice(-64 * 1024);
    for (const line of lines)
      if (line.includes('the server keeps serving')) escapes.push(line.slice(0, 2000));
  });
  // The image exists (ensureImage ran first); the server still checks for it in the background.
  for (const deadline = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const health = await sandboxHealth(proc.url);
    if (health.sandboxImage?.state === 'present') break;
    if (Date.now() > deadline)
      throw new Error(`the sandbox image never became ready: ${JSON.stringify(health)}`);
  }
  return Object.assign(proc, { escapes });
}

/** Stops a spawned server (its sandboxes are removed on SIGTERM) and removes its data. */
export async function stopServer(proc: ServerProcess | undefined): Promise<void> {
  if (!proc) return;
  if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
  const force = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  await proc.exited;
  clearTimeout(force);
  fs.rmSync(proc.dataDir, { recursive: true, force: true });
}

export interface SandboxHealth {
  sandboxImage?: { state: string };
  sandboxOutput?: { dropped: number; oversized: number; violations: number };
}

/** `/api/health`'s checks (any status: a degraded report still says what it knows). */
export async function sandboxHealth(url: string): Promise<SandboxHealth> {
  const res = await fetch(`${url}/api/health`);
  return ((await res.json()) as { checks: SandboxHealth }).checks;
}

/**
 * Cell code writing raw bytes onto the sandbox's control channel: /proc/1/fd/1 is the init
 * process's stdout, the same pipe the runner writes to, and open to any process of the sandbox.
 */
export const channelWriterCell = (body: string) => `
const fs = require('fs');
const channel = fs.openSync('/proc/1/fd/1', 'w');
const write = (text) => fs.writeSync(channel, typeof text === 'string' ? Buffer.from(text) : text);
${body}`;
