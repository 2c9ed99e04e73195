/**
 * The kernel: a child process of the runner that holds the notebook's state and runs cells.
 * It talks to the runner only through IPC; its stdout/stderr are captured, never the control channel.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import type { MimeBundle, ModelReplyContent } from '@atrium/protocol';
import { mimeBundleOf, mimeConstructors, resultBundleOf } from './display.js';
import type { ChildEvent, ParentCommand } from './ipc.js';
import { withModelAccess } from './modelAccess.js';
import { OutputGate } from './OutputGate.js';
import { IMPORT_HELPER, transformCell } from './transformCell.js';

const send = (event: ChildEvent) => {
  process.send?.(event);
};

const gate = new OutputGate(
  {
    maxBytes: Number(process.env.ATRIUM_OUTPUT_MAX_BYTES ?? 32 * 1024 * 1024),
    maxDisplaysPerSecond: Number(process.env.ATRIUM_OUTPUT_MAX_DISPLAYS_PER_S ?? 100),
  },
  send,
);

/**
 * Which execution the running code belongs to. An interrupted cell's async continuations may run on
 * (a loop past its await) until they end or the kernel is replaced; their output must not land in
 * the next cell, so output from code of an interrupted execution is dropped.
 */
const execution = new AsyncLocalStorage<{ interrupted: boolean }>();
const silenced = () => execution.getStore()?.interrupted === true;
let current: { interrupted: boolean } | null = null;

// Everything the cell writes to stdout/stderr (console.log included) becomes ordered `stream` output.
for (const name of ['stdout', 'stderr'] as const) {
  const stream = process[name];
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    if (!silenced())
      gate.stream(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    return true;
  }) as typeof stream.write;
}

interface DisplayHandle {
  display_id: string;
  update: (value: unknown) => void;
}

/** display(value) shows a value as rich output; the handle updates it in place. */
function display(value: unknown, options: { display_id?: string } = {}): DisplayHandle {
  const displayId = options.display_id ?? randomUUID();
  if (!silenced()) gate.display(false, mimeBundleOf(value), displayId);
  return {
    display_id: displayId,
    update: (next: unknown) => {
      if (!silenced()) gate.display(true, mimeBundleOf(next), displayId);
    },
  };
}
Object.assign(display, mimeConstructors, {
  clear: (wait = false) => gate.clear(wait),
});

const globals = globalThis as Record<string, unknown>;
globals.display = display;
globals.require = createRequire(import.meta.url);
/** Models asked of the server through the runner, by request id. */
const modelAnswers = new Map<string, (reply: ModelReplyContent) => void>();
const askForModel = (modelId: string) =>
  new Promise<ModelReplyContent>((resolve) => {
    const requestId = randomUUID();
    modelAnswers.set(requestId, resolve);
    send({ t: 'model', requestId, modelId });
  });

// transformers.js is pointed at the read-only /models the platform provides (modelAccess.ts).
globals[IMPORT_HELPER] = (specifier: string) =>
  specifier === '@huggingface/transformers'
    ? import(specifier).then((m) => withModelAccess(m, askForModel))
    : import(specifier);

let abort: ((err: Error) => void) | null = null;

class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
}

// Interrupts arrive as SIGINT: vm's breakOnSigint stops synchronous code, this stops a pending await.
process.on('SIGINT', () => {
  if (current) current.interrupted = true;
  abort?.(new KeyboardInterrupt('Execution interrupted'));
});

process.on('uncaughtException', (err) => gate.stream('stderr', `Uncaught ${err?.stack ?? String(err)}\n`));
process.on('unhandledRejection', (err) =>
  gate.stream('stderr', `Unhandled rejection: ${err instanceof Error ? err.stack : String(err)}\n`),
);

/**
 * @param wrapperFrame where the script's own wrapper is called (its last line, after the cell's): a
 * frame there is not a line of the cell, so the traceback leaves it out.
 */
function describeError(
  err: unknown,
  wrapperFrame?: string,
): { ename: string; evalue: string; traceback: string[] } {
  if (err instanceof Error) {
    const interrupted = (err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
    const ename = interrupted ? 'KeyboardInterrupt' : err.name;
    const evalue = interrupted ? 'Execution interrupted' : err.message;
    // Frames inside the kernel itself are noise to the person reading the traceback.
    const stack = (err.stack ?? `${ename}: ${evalue}`)
      .split('\n')
      .filter((l) => !/\/runner\/kernelProcess\.js|\(node:|at node:|sigintHandlersWrap/.test(l))
      .filter((l) => !(wrapperFrame && l.includes(wrapperFrame)));
    if (interrupted) stack[0] = `${ename}: ${evalue}`;
    return { ename, evalue, traceback: stack };
  }
  return { ename: 'Error', evalue: String(err), traceback: [String(err)] };
}

let cellNumber = 0;

async function execute(code: string, language: 'javascript' | 'typescript'): Promise<void> {
  cellNumber += 1;
  const filename = `cell-${cellNumber}.${language === 'typescript' ? 'ts' : 'js'}`;
  let wrapperFrame: string | undefined;
  gate.begin();
  const aborted = new Promise<never>((_, reject) => {
    abort = reject;
  });
  try {
    const cell = transformCell(code, language);
    wrapperFrame = `${filename}:${cell.code.split('\n').length}:`;
    const script = new vm.Script(cell.code, {
      filename,
      columnOffset: cell.columnOffset,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    current = { interrupted: false };
    const pending = execution.run(current, () =>
      script.runInThisContext({ breakOnSigint: true, displayErrors: false }),
    ) as Promise<unknown>;
    const value = await Promise.race([pending, aborted]);
    gate.flush();
    if (value !== undefined) gate.result(resultBundleOf(value) as MimeBundle);
    gate.end();
    send({ t: 'done', ok: true });
  } catch (err) {
    gate.flush();
    gate.end();
    send({ t: 'done', ok: false, ...describeError(err, wrapperFrame) });
  } finally {
    abort = null;
    current = null;
  }
}

process.on('message', (command: ParentCommand) => {
  if (command.t === 'execute') void execute(command.code, command.language);
  else if (command.t === 'model') {
    modelAnswers.get(command.requestId)?.(command.reply);
    modelAnswers.delete(command.requestId);
  }
});

send({ t: 'ready', node: process.version });
