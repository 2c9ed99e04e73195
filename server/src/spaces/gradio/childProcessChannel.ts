import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { DemoHostChannel } from './DemoHostBackend.js';
import { lineChannel } from './lineChannel.js';

/** The SDK's stdio demo host (sandbox/src/sdk/hostMain.ts), as built into @atrium/sandbox. */
export const demoHostMain = () => createRequire(import.meta.url).resolve('@atrium/sandbox/sdk/hostMain');

/**
 * Runs an app module in a child Node process speaking app mode over stdio. Not a sandbox: for
 * development and tests of the message path; Spaces run the same host inside their container.
 */
export function childProcessChannel(
  appModule: string,
  cwd?: string,
): DemoHostChannel & { child: ChildProcess } {
  const child = spawn(process.execPath, [demoHostMain(), appModule], {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ended = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve(`exit ${signal ?? code}${stderr ? `: ${stderr.trim()}` : ''}`),
    ),
  );
  return { child, ...lineChannel(child.stdin!, child.stdout!, ended) };
}
