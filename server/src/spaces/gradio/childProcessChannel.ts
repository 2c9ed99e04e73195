import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { DemoHostReply } from '@atrium/protocol';
import type { DemoHostChannel } from './DemoHostBackend.js';

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
  const replies = createInterface({ input: child.stdout! });
  const closeListeners: ((reason: string) => void)[] = [];
  child.once('exit', (code, signal) => {
    const reason = `exit ${signal ?? code}${stderr ? `: ${stderr.trim()}` : ''}`;
    for (const l of closeListeners) l(reason);
  });
  return {
    child,
    send: (request) => {
      if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(request)}\n`);
    },
    onReply: (listener) =>
      replies.on('line', (line) => {
        try {
          listener(JSON.parse(line) as DemoHostReply);
        } catch {
          // a line that is not a reply (e.g. the app printing): ignored
        }
      }),
    onClose: (listener) => closeListeners.push(listener),
  };
}
