import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';

/** `setpriv --pdeathsig`: the child is killed with its test process, even one killed with SIGKILL. */
const DIES_WITH_PARENT = fs.existsSync('/usr/bin/setpriv')
  ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--']
  : [];

/** A server a suite runs beside itself (PostgreSQL, Swift), bound to the test process's life. */
export interface HelperProcess {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Stops watching the test process's exit (the suite stopped the server itself). */
  release(): void;
}

/**
 * Spawns `command` so that it never outlives the test process: killed by the kernel if the test
 * process dies (setpriv --pdeathsig), and on a clean exit by an exit hook, which also runs `cleanup`
 * (removing the server's folder).
 */
export function spawnHelper(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
  cleanup: () => void = () => undefined,
): HelperProcess {
  const [launcher = command, ...launcherArgs] = [...DIES_WITH_PARENT, command];
  const child = spawn(launcher, [...launcherArgs, ...args], options);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = () => {
    child.kill('SIGKILL');
    try {
      cleanup();
    } catch {}
  };
  process.once('exit', onExit);
  return { child, exited, release: () => process.off('exit', onExit) };
}
