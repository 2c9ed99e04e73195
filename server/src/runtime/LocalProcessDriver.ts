import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runnerCommand } from '@atrium/sandbox/image/runnerCommand';
import type {
  SandboxChannel,
  SandboxDriver,
  SandboxEvent,
  SandboxInfo,
  SandboxSpec,
  SandboxVolume,
} from './SandboxDriver.js';

export interface LocalProcessDriverOptions {
  /** Where each "sandbox" gets its own folder (its HOME, TMPDIR and /tmp stand-in) and volumes live. */
  baseDir: string;
  /** The command of a sandbox that names none: the runner on this host, sized to memoryMb. */
  runnerCommand: (memoryMb: number) => string[];
}

/** How long after a process exits its channel ends even if something it left still holds its output. */
const EXIT_DRAIN_MS = 2000;

interface LocalSandbox {
  id: string;
  spec: SandboxSpec;
  dir: string;
  child: ChildProcess | null;
  exitCode: number | null;
  input: PassThrough;
  output: PassThrough;
  errors: PassThrough;
  ended: Promise<void>;
  end: () => void;
}

/**
 * Runs each sandbox's runner as a plain child process of the server: NO isolation, no limits beyond
 * the runner's own flags, no network policy, /tmp shared with the host. It exists so kernel and
 * Space lifecycles (pool, start, interrupt, death, reconciliation) can be tested and developed
 * without Docker; never use it to run code you do not trust. Read-only mounts become environment paths: a variable of the spec whose
 * value is a mount's target is pointed at the mount's folder on this host.
 */
export class LocalProcessDriver implements SandboxDriver {
  private readonly sandboxes = new Map<string, LocalSandbox>();
  private readonly lifecycle = new EventEmitter();

  constructor(private readonly options: LocalProcessDriverOptions) {
    fs.mkdirSync(path.join(options.baseDir, 'volumes'), { recursive: true });
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async create(spec: SandboxSpec): Promise<string> {
    for (const s of this.sandboxes.values()) if (s.spec.name === spec.name) await this.remove(s.id);
    const id = randomBytes(32).toString('hex');
    const dir = fs.mkdtempSync(path.join(this.options.baseDir, 'sandbox-'));
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.sandboxes.set(id, {
      id,
      spec,
      dir,
      child: null,
      exitCode: null,
      input: new PassThrough(),
      output: new PassThrough(),
      errors: new PassThrough(),
      ended,
      end,
    });
    return id;
  }

  async attach(id: string): Promise<SandboxChannel> {
    const s = this.get(id);
    return {
      input: s.input,
      output: s.output,
      errors: s.errors,
      ended: s.ended,
      close: () => {
        s.input.end();
      },
    };
  }

  async start(id: string): Promise<void> {
    const s = this.get(id);
    if (s.child) return;
    const [command, ...args] = s.spec.command ?? this.options.runnerCommand(s.spec.memoryMb);
    if (!command) throw new Error('the sandbox has no command');
    const child = spawn(command, args, {
      cwd: s.dir,
      env: this.environment(s),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    s.child = child;
    s.input.pipe(child.stdin);
    child.stdin.on('error', () => {}); // the runner exited first: its input has nowhere to go
    child.stdout.pipe(s.output);
    child.stderr.pipe(s.errors);
    let spawned = false;
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      // A signal is reported as a shell (and Docker) would: 128 + its number; a command that never
      // ran as a shell reports one it cannot find.
      s.exitCode = !spawned ? 127 : (code ?? 128 + (signal ? os.constants.signals[signal] : 0));
      s.end();
      this.emit(s, 'die');
    };
    // 'close', not 'exit': stdout and stderr are drained by then, so the channel ends after the last
    // output; unless a process it left holds them open, which only delays the end by a moment.
    child.once('close', finish);
    child.once('exit', (code, signal) => setTimeout(() => finish(code, signal), EXIT_DRAIN_MS).unref());
    // A command that cannot be spawned (ENOENT, EACCES) fails start, as a missing image does on Docker;
    // 'error' stays heard afterwards (a failed kill) so it never reaches the process.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        spawned = true;
        resolve();
      });
      child.on('error', (err) => {
        if (!spawned) reject(new Error(`the sandbox's command could not start: ${err.message}`));
      });
    });
    this.emit(s, 'start');
  }

  async stop(id: string, graceSeconds = 10): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s?.child || s.child.exitCode !== null || s.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => s.child?.once('exit', () => resolve()));
    s.child.kill('SIGTERM');
    const timer = setTimeout(() => s.child?.kill('SIGKILL'), graceSeconds * 1000);
    await exited;
    clearTimeout(timer);
  }

  async remove(id: string): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    this.sandboxes.delete(id);
    if (s.child && s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      // Its 'die' (and the channel's end) before its 'destroy', as an engine reports them.
      await s.ended;
    } else {
      s.end();
    }
    fs.rmSync(s.dir, { recursive: true, force: true });
    this.emit(s, 'destroy');
  }

  async list(labels: Record<string, string>): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].filter((s) => matches(s.spec.labels, labels)).map(info);
  }

  async inspect(id: string): Promise<SandboxInfo | null> {
    const s = this.sandboxes.get(id);
    return s ? info(s) : null;
  }

  events(labels: Record<string, string>, onEvent: (event: SandboxEvent) => void): () => void {
    const listener = (event: SandboxEvent) => {
      if (matches(event.labels, labels)) onEvent(event);
    };
    this.lifecycle.on('event', listener);
    return () => this.lifecycle.off('event', listener);
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<SandboxVolume> {
    const mountpoint = this.volumeDir(name);
    fs.mkdirSync(mountpoint, { recursive: true });
    fs.writeFileSync(`${mountpoint}.labels.json`, JSON.stringify(labels));
    return { name, mountpoint };
  }

  async removeVolume(name: string): Promise<void> {
    fs.rmSync(this.volumeDir(name), { recursive: true, force: true });
    fs.rmSync(`${this.volumeDir(name)}.labels.json`, { force: true });
  }

  async listVolumes(labels: Record<string, string>): Promise<string[]> {
    const dir = path.join(this.options.baseDir, 'volumes');
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.labels.json'))
      .filter((f) => matches(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), labels))
      .map((f) => f.slice(0, -'.labels.json'.length));
  }

  private volumeDir(name: string): string {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`not a volume name: ${name}`);
    return path.join(this.options.baseDir, 'volumes', name);
  }

  private get(id: string): LocalSandbox {
    const s = this.sandboxes.get(id);
    if (!s) throw new Error(`no such sandbox: ${id}`);
    return s;
  }

  /** The spec's environment on a clean base, with mount targets pointed at their folders here. */
  private environment(s: LocalSandbox): NodeJS.ProcessEnv {
    const hostPath = new Map(
      (s.spec.readOnlyMounts ?? []).map((m) => [
        m.target,
        m.type === 'volume' ? this.volumeDir(m.source) : m.source,
      ]),
    );
    // HOME and USER as every driver sets them (the contract); TMPDIR is this sandbox's own folder.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: '/tmp',
      TMPDIR: s.dir,
      USER: 'sandbox',
      ATRIUM_APP_DIR: path.join(s.dir, 'app'),
      ATRIUM_PACKAGES_DIR: localPackagesDir(),
    };
    for (const [k, v] of Object.entries(s.spec.env)) env[k] = hostPath.get(v) ?? v;
    return env;
  }

  private emit(s: LocalSandbox, action: SandboxEvent['action']): void {
    this.lifecycle.emit('event', {
      id: s.id,
      action,
      exitCode: action === 'die' ? s.exitCode : null,
      labels: s.spec.labels,
    } satisfies SandboxEvent);
  }
}

const matches = (have: Record<string, string>, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => have[k] === v);

const info = (s: LocalSandbox): SandboxInfo => ({
  id: s.id,
  name: s.spec.name,
  running: s.child !== null && s.child.exitCode === null && s.child.signalCode === null,
  exitCode: s.exitCode,
  oomKilled: false,
  labels: s.spec.labels,
});

/**
 * The Node runner of this checkout, as a host command (the image's command with this node and the
 * built `sandbox/dist/runner/start.js`). Apps import the SDK and transformers.js from this checkout's
 * node_modules (ATRIUM_PACKAGES_DIR, set for every sandbox of this driver).
 */
export function localRunnerCommand(memoryMb: number): string[] {
  const command = runnerCommand(memoryMb);
  const require = createRequire(import.meta.url);
  const sandboxDir = path.dirname(require.resolve('@atrium/sandbox/package.json'));
  return [process.execPath, ...command.slice(1, -1), path.join(sandboxDir, 'dist/runner/start.js')];
}

/** Where this checkout's packages are, for app-mode sandboxes run by this driver. */
export function localPackagesDir(): string {
  const require = createRequire(import.meta.url);
  // The workspace root's node_modules: the link to @atrium/sandbox (the SDK) and transformers.js.
  return path.resolve(path.dirname(require.resolve('@atrium/sandbox/package.json')), '../node_modules');
}
