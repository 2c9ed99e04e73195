/**
 * The runner: PID 1's only child in a sandbox. It owns the control channel (JSON lines of Jupyter
 * messages on the container's attached stdin/stdout) and a kernel process that runs the cells.
 */
import { createHmac, randomUUID } from 'node:crypto';
import readline from 'node:readline';
import {
  type ExecuteRequestContent,
  type KernelHeader,
  type KernelMessage,
  MODEL_ID_PATTERN,
  type ModelReplyContent,
} from '@atrium/protocol';
import { KernelHost, type Outcome } from './KernelHost.js';
import { messageFactory } from './messages.js';
import { makeNonDumpable } from './nonDumpable.js';

// Before the key arrives: from here on cell code cannot read this process's memory (or, under runc,
// open its /proc files at all).
makeNonDumpable();

const message = messageFactory(process.env.ATRIUM_KERNEL_SESSION ?? randomUUID());
const EXECUTION_TIMEOUT_S = Number(process.env.ATRIUM_EXECUTION_TIMEOUT_S ?? 300);

// Keep the channel for ourselves: nothing else in this process may print to stdout.
const channel = process.stdout;
/**
 * The server's first line is a secret key, read before the kernel process exists. Every line we
 * write is `<hex HMAC-SHA256 of the JSON> <JSON>`: cell code that finds its way to our stdout
 * (e.g. through /proc/<ppid>/fd/1) cannot produce lines the server accepts.
 */
let key: Buffer | null = null;
let keyReceived: () => void = () => {};
const keyed = new Promise<void>((resolve) => {
  keyReceived = resolve;
});
const emit = (msg: KernelMessage) => {
  const json = JSON.stringify(msg);
  const signature = key ? createHmac('sha256', key).update(json).digest('hex') : '-';
  channel.write(`${signature} ${json}\n`);
};
console.log =
  console.info =
  console.debug =
    (...args: unknown[]) => process.stderr.write(`${args.join(' ')}\n`);

let executionCount = 0;
/** The request of the cell running now: a model asked for is shown (progress) under that cell. */
let running: Partial<KernelHeader> = {};
/** Model requests sent to the server, by msg_id, waiting for its `atrium_model_reply`. */
const modelReplies = new Map<string, (reply: ModelReplyContent) => void>();

/** Asks the server to cache a model under /models; the kernel process may ask anything, so check it. */
function askServerForModel(modelId: unknown): Promise<ModelReplyContent> {
  if (typeof modelId !== 'string' || !MODEL_ID_PATTERN.test(modelId))
    return Promise.resolve({
      status: 'error',
      model_id: String(modelId),
      evalue: `"${modelId}" is not a model id (owner/name)`,
    });
  return new Promise((resolve) => {
    const request = message('atrium_model_request', { model_id: modelId }, running);
    modelReplies.set(request.header.msg_id, resolve);
    emit(request);
  });
}

const host = new KernelHost((reason) => {
  emit(message('stream', { name: 'stderr', text: `\n[${reason}: the kernel was restarted]\n` }));
}, askServerForModel);

async function execute(request: KernelMessage<'execute_request'>): Promise<void> {
  const parent = request.header;
  const content: ExecuteRequestContent = request.content;
  executionCount += 1;
  const count = executionCount;
  running = parent;
  emit(message('status', { execution_state: 'busy' }, parent));
  emit(message('execute_input', { code: content.code, execution_count: count }, parent));
  const limit = Math.min(EXECUTION_TIMEOUT_S, content.timeout_s ?? EXECUTION_TIMEOUT_S);
  const timer = setTimeout(() => host.interrupt('TimeoutError'), limit * 1000);
  let outcome: Outcome;
  try {
    outcome = await host.run(
      String(content.code ?? ''),
      content.language === 'typescript' ? 'typescript' : 'javascript',
      {
        onEvent: (e) => {
          if (e.t === 'stream') emit(message('stream', { name: e.name, text: e.text }, parent));
          else if (e.t === 'clear') emit(message('clear_output', { wait: e.wait }, parent));
          else if (e.t === 'result')
            emit(message('execute_result', { data: e.data, metadata: {}, execution_count: count }, parent));
          else if (e.t === 'display') {
            const type = e.update ? 'update_display_data' : 'display_data';
            emit(
              message(type, { data: e.data, metadata: {}, transient: { display_id: e.displayId } }, parent),
            );
          }
        },
      },
    );
  } finally {
    clearTimeout(timer);
  }
  if (outcome.ok) {
    emit(message('execute_reply', { status: 'ok', execution_count: count }, parent));
  } else {
    const { ename, evalue, traceback } = outcome;
    emit(message('error', { ename, evalue, traceback }, parent));
    emit(
      message('execute_reply', { status: 'error', execution_count: count, ename, evalue, traceback }, parent),
    );
  }
  emit(message('status', { execution_state: 'idle' }, parent));
}

// Cells run one at a time, in arrival order; control requests are answered at once.
let queue: Promise<void> = Promise.resolve();

async function handle(msg: KernelMessage): Promise<void> {
  const parent: Partial<KernelHeader> = msg.header;
  switch (msg.header.msg_type) {
    case 'execute_request':
      queue = queue.then(() => execute(msg as KernelMessage<'execute_request'>));
      return;
    case 'atrium_model_reply': {
      const id = msg.parent_header.msg_id ?? '';
      modelReplies.get(id)?.((msg as KernelMessage<'atrium_model_reply'>).content);
      modelReplies.delete(id);
      return;
    }
    case 'interrupt_request':
      host.interrupt();
      emit(message('interrupt_reply', { status: 'ok' }, parent));
      return;
    case 'kernel_info_request':
      emit(
        message(
          'kernel_info_reply',
          {
            status: 'ok',
            protocol_version: '5.3',
            implementation: 'atrium-node',
            implementation_version: '0.1.0',
            language_info: { name: 'javascript', version: process.versions.node, file_extension: '.js' },
          },
          parent,
        ),
      );
      return;
    case 'shutdown_request': {
      const restart = Boolean((msg as KernelMessage<'shutdown_request'>).content.restart);
      if (restart) {
        emit(message('status', { execution_state: 'restarting' }, parent));
        executionCount = 0;
        await host.restart();
        emit(message('shutdown_reply', { status: 'ok', restart: true }, parent));
        emit(message('status', { execution_state: 'idle' }, parent));
        return;
      }
      host.shutdown();
      emit(message('shutdown_reply', { status: 'ok', restart: false }, parent));
      channel.end(() => process.exit(0));
      return;
    }
    default:
      return;
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (!line.trim()) return;
  if (!key) {
    try {
      const hex = (JSON.parse(line) as { atrium_key?: string }).atrium_key;
      if (typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex)) {
        key = Buffer.from(hex, 'hex');
        keyReceived();
        return;
      }
    } catch {
      // fall through
    }
    process.stderr.write('runner: the first control line must carry the session key\n');
    return;
  }
  let msg: KernelMessage;
  try {
    msg = JSON.parse(line) as KernelMessage;
    if (!msg?.header?.msg_type) throw new Error('no header.msg_type');
  } catch (err) {
    process.stderr.write(`runner: ignoring a malformed control message: ${(err as Error).message}\n`);
    return;
  }
  handle(msg).catch((err) => process.stderr.write(`runner: ${(err as Error).stack}\n`));
});
// The server closing the channel means the sandbox is no longer wanted.
lines.on('close', () => {
  host.shutdown();
  process.exit(0);
});

await keyed;
emit(message('status', { execution_state: 'starting' }));
await host.start();
emit(message('status', { execution_state: 'idle' }));
