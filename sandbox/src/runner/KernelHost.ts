import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ModelReplyContent, OUT_OF_MEMORY_REASON } from '@atrium/protocol';
import type { ChildEvent } from './ipc.js';

const KERNEL_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kernelProcess.js');

/** How long an interrupted cell may take to stop before the kernel process is replaced. */
const INTERRUPT_GRACE_MS = Number(process.env.ATRIUM_INTERRUPT_GRACE_MS ?? 1500);

export type Outcome = { ok: true } | { ok: false; ename: string; evalue: string; traceback: string[] };

export interface RunHandlers {
  onEvent: (event: Exclude<ChildEvent, { t: 'done' } | { t: 'ready' } | { t: 'model' }>) => void;
}

/**
 * Owns the kernel child process: starts it, runs one cell at a time, interrupts (SIGINT, then a
 * forced restart if the cell ignores it) and replaces it on restart or when it dies.
 */
export class KernelHost {
  private child: ChildProcess | null = null;
  private current: {
    handlers: RunHandlers;
    finish: (o: Outcome) => void;
    interruptedAs: string | null;
  } | null = null;
  private ready: Promise<void> = Promise.resolve();
  private killing = new WeakSet<ChildProcess>();

  constructor(
    private readonly onUnexpectedExit: (reason: string) => void,
    /** Asks the server for a model the kernel needs (it may ask outside a cell, from a timer). */
    private readonly askForModel: (modelId: string) => Promise<ModelReplyContent>,
  ) {}

  /** Starts a fresh kernel process (the previous one, if any, is killed: its state is gone). */
  start(): Promise<void> {
    if (this.child) this.kill(this.child);
    const child = fork(KERNEL_SCRIPT, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    // Raw writes to fd 1/2 (native code, V8 fatal errors) still reach the cell as stream output.
    child.stdout?.on('data', (b: Buffer) =>
      this.current?.handlers.onEvent({ t: 'stream', name: 'stdout', text: b.toString() }),
    );
    child.stderr?.on('data', (b: Buffer) =>
      this.current?.handlers.onEvent({ t: 'stream', name: 'stderr', text: b.toString() }),
    );
    this.ready = new Promise<void>((resolve, reject) => {
      child.once('message', (e: ChildEvent) =>
        e.t === 'ready' ? resolve() : reject(new Error('kernel spoke before ready')),
      );
      child.once('exit', () => reject(new Error('kernel process exited during start')));
    });
    this.ready.catch(() => {});
    child.on('message', (event: ChildEvent) => {
      if (child !== this.child || event.t === 'ready') return;
      if (event.t === 'model') {
        void this.askForModel(event.modelId).then((reply) => {
          if (child.connected) child.send({ t: 'model', requestId: event.requestId, reply });
        });
        return;
      }
      if (event.t === 'done') {
        const run = this.current;
        this.current = null;
        if (!run) return;
        if (event.ok) run.finish({ ok: true });
        else if (run.interruptedAs === 'TimeoutError') {
          run.finish({
            ...event,
            ename: 'TimeoutError',
            evalue: 'Execution timed out',
            traceback: ['TimeoutError: Execution timed out'],
          });
        } else run.finish(event);
        return;
      }
      this.current?.handlers.onEvent(event);
    });
    child.on('exit', (code, signal) => {
      if (this.killing.has(child) || child !== this.child) return;
      this.child = null;
      // The cgroup OOM killer and V8's heap limit are the usual reasons a kernel dies on its own.
      const reason =
        signal === 'SIGKILL' || code === 134 ? OUT_OF_MEMORY_REASON : `kernel exited (${signal ?? code})`;
      const run = this.current;
      this.current = null;
      run?.finish({
        ok: false,
        ename: 'KernelDied',
        evalue: reason,
        traceback: [`KernelDied: ${reason}`, 'The kernel was restarted; its state was lost.'],
      });
      this.onUnexpectedExit(reason);
      void this.start().catch(() => {});
    });
    return this.ready;
  }

  private kill(child: ChildProcess): void {
    this.killing.add(child);
    child.kill('SIGKILL');
  }

  /** Runs one cell; resolves with its outcome (never rejects). */
  async run(code: string, language: 'javascript' | 'typescript', handlers: RunHandlers): Promise<Outcome> {
    await this.ready.catch(() => this.start());
    return new Promise<Outcome>((finish) => {
      this.current = { handlers, finish, interruptedAs: null };
      this.child?.send({ t: 'execute', code, language });
    });
  }

  /** Stops the running cell: SIGINT first; if it has not stopped after the grace period, a new kernel. */
  interrupt(as = 'KeyboardInterrupt'): void {
    const run = this.current;
    const child = this.child;
    if (!run || !child) return;
    run.interruptedAs = as;
    child.kill('SIGINT');
    setTimeout(() => {
      if (this.current !== run) return;
      this.current = null;
      const evalue = as === 'TimeoutError' ? 'Execution timed out' : 'Execution interrupted';
      run.finish({
        ok: false,
        ename: as,
        evalue,
        traceback: [
          `${as}: ${evalue}`,
          'The cell did not stop, so the kernel was restarted; its state was lost.',
        ],
      });
      void this.start().catch(() => {});
    }, INTERRUPT_GRACE_MS).unref();
  }

  /** Replaces the kernel process with a fresh one. */
  async restart(): Promise<void> {
    const run = this.current;
    this.current = null;
    run?.finish({
      ok: false,
      ename: 'KernelRestarted',
      evalue: 'The kernel was restarted',
      traceback: ['KernelRestarted'],
    });
    await this.start();
  }

  shutdown(): void {
    if (this.child) this.kill(this.child);
    this.child = null;
  }
}
