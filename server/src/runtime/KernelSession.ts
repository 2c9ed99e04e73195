import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type {
  CompleteReplyContent,
  CompleteRequestContent,
  ExecuteReplyContent,
  ExecuteRequestContent,
  InspectReplyContent,
  InspectRequestContent,
  KernelContentMap,
  KernelMessage,
  KernelMessageType,
} from '@atrium/protocol';
import type { SandboxModelProvider } from '../models/provideToSandbox.js';
import { ChannelViolations } from '../sandboxOutput/ChannelViolations.js';
import { MAX_CHANNEL_LINE_BYTES } from '../sandboxOutput/limits.js';
import { parseJsonLine } from '../sandboxOutput/parseJsonLine.js';
import { readSandboxOutput, type SandboxOutputGuard } from '../sandboxOutput/readSandboxOutput.js';
import { checkRunnerMessage } from './kernelMessageSchema.js';
import { modelFetchDisplay } from './modelFetchDisplay.js';
import type { SandboxChannel } from './SandboxDriver.js';

export type MessageListener = (message: KernelMessage) => void;

interface Pending {
  listener: MessageListener;
  reply: ExecuteReplyContent | null;
  resolve: (reply: ExecuteReplyContent) => void;
}

export interface KernelSessionOptions {
  /** Called on every message that belongs to a request (idle culling counts it as activity). */
  onActivity?: () => void;
  /** Answers the runner's `atrium_model_request`s; without it every such request is refused. */
  provideModel?: SandboxModelProvider;
  /** Counts (and logs, at a rate) what the runner wrote that was refused. */
  violations?: ChannelViolations;
  /** The sandbox broke its channel (a line past the limit, a message whose handling threw): end it. */
  onBroken?: (reason: string) => void;
  /** Longest line accepted from the runner. */
  maxLineBytes?: number;
}

/** Lines of the runner's stderr kept for diagnosing a sandbox that would not start, and their length. */
const STDERR_TAIL_LINES = 20;
const STDERR_LINE_BYTES = 4096;

/**
 * The server's end of one runner's control channel: writes requests, routes every message back
 * to the request it answers (parent_header.msg_id), and settles executions on their final idle.
 * Everything the runner writes is hostile input: lines are bounded, signed, parsed and checked
 * against a schema before use; a message for no pending request is ignored; nothing it sends can
 * throw out of here (a failure ends this kernel, never the server).
 */
export class KernelSession {
  readonly session = randomUUID();
  /** Busy or idle, as the runner last said. */
  state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Map<string, (m: KernelMessage) => void>();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => {};
  private deadReason: string | null = null;
  /** Last lines the runner wrote on stderr, for diagnosing a sandbox that would not start. */
  readonly stderrTail: string[] = [];
  /** Lines dropped because their signature was wrong: cell code writing on the channel. */
  forgedLines = 0;
  /** Signs the runner's lines; sent as the first line, before the kernel process exists. */
  private readonly key = randomBytes(32);
  private readonly output: SandboxOutputGuard;
  private readonly violations: ChannelViolations;
  private readonly source = `kernel session ${this.session}`;

  constructor(
    private readonly channel: SandboxChannel,
    private readonly options: KernelSessionOptions = {},
  ) {
    this.violations = options.violations ?? new ChannelViolations();
    this.ready = new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
    channel.input.write(`${JSON.stringify({ atrium_key: this.key.toString('hex') })}\n`);
    this.output = readSandboxOutput(channel, {
      source: this.source,
      violations: this.violations,
      maxLineBytes: options.maxLineBytes ?? MAX_CHANNEL_LINE_BYTES,
      onLine: (line) => this.receive(line),
      stderrLineBytes: STDERR_LINE_BYTES,
      onStderrLine: (line) => {
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      },
      onBroken: (reason) => this.broken(reason),
    });
  }

  /** One line from the runner: `<HMAC-SHA256 hex> <JSON>`, checked before anything reads it. */
  private receive(line: string): void {
    if (this.deadReason) return;
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    if (space !== 64 || !this.verify(line.slice(0, space), json)) {
      this.forgedLines += 1;
      this.violations.dropped(this.source, 'a line without a valid signature');
      return;
    }
    const parsed = parseJsonLine(json);
    const checked = parsed.ok ? checkRunnerMessage(parsed.value) : parsed;
    if (!checked.ok) {
      this.violations.dropped(this.source, checked.problem);
      return;
    }
    const msg = checked.value;
    if (msg.header.msg_type === 'status') {
      const s = (msg.content as KernelContentMap['status']).execution_state;
      if (s === 'idle' || s === 'busy') this.state = s;
      if (s === 'idle' && !msg.parent_header.msg_id) this.markReady();
    }
    if (msg.header.msg_type === 'atrium_model_request') {
      this.answerModelRequest(msg as KernelMessage<'atrium_model_request'>).catch((err) =>
        this.violated(err),
      );
      return;
    }
    this.route(msg);
  }

  /** Handling a message threw: the runner sent something the checks let through, or a listener failed. */
  private violated(err: unknown): void {
    if (!this.deadReason) this.output.violated(err);
  }

  /** Ends this kernel: pending executions fail with the reason, the owner removes the sandbox. */
  private broken(reason: string): void {
    if (this.deadReason) return;
    this.markDead(reason);
    this.channel.close();
    this.options.onBroken?.(reason);
  }

  private verify(signature: string, json: string): boolean {
    const expected = createHmac('sha256', this.key).update(json).digest();
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Resolves once the runner has its kernel up and said idle. */
  waitReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `kernel did not become ready in ${timeoutMs} ms: ${this.stderrTail.join('\n').slice(-500)}`,
            ),
          ),
        timeoutMs,
      );
      this.ready.then(() => {
        clearTimeout(timer);
        resolve();
      });
      this.channel.ended.then(() => {
        clearTimeout(timer);
        reject(new Error(`sandbox exited before it was ready: ${this.stderrTail.join('\n').slice(-500)}`));
      });
    });
  }

  private route(msg: KernelMessage): void {
    const parentId = msg.parent_header.msg_id;
    if (!parentId) return;
    this.options.onActivity?.();
    const waiter = this.waiters.get(parentId);
    if (waiter) {
      this.waiters.delete(parentId);
      waiter(msg);
    }
    const p = this.pending.get(parentId);
    if (!p) return;
    this.deliver(p.listener, msg);
    if (msg.header.msg_type === 'execute_reply') p.reply = msg.content as ExecuteReplyContent;
    const type = msg.header.msg_type;
    if (
      type === 'status' &&
      (msg.content as KernelContentMap['status']).execution_state === 'idle' &&
      p.reply
    ) {
      this.pending.delete(parentId);
      p.resolve(p.reply);
    }
  }

  /**
   * A cell needs a model that is not under /models: cache it, showing progress as a display under the
   * cell that asked (its execute request is the request's parent), then tell the runner.
   */
  private async answerModelRequest(request: KernelMessage<'atrium_model_request'>): Promise<void> {
    const modelId = request.content.model_id;
    const cellId = request.parent_header.msg_id;
    const display = modelFetchDisplay(modelId, (type, content) => {
      const listener = cellId ? this.pending.get(cellId)?.listener : undefined;
      if (listener) this.deliver(listener, this.message(type, content, cellId));
    });
    const reply: KernelContentMap['atrium_model_reply'] = this.options.provideModel
      ? await this.options.provideModel(modelId, display)
      : {
          status: 'error',
          model_id: modelId,
          evalue: `Model "${modelId}" cannot be fetched for this sandbox`,
        };
    if (!this.deadReason)
      this.send({
        ...this.message('atrium_model_reply', reply),
        parent_header: request.header,
      });
  }

  private message<T extends KernelMessageType>(
    type: T,
    content: KernelContentMap[T],
    parentId?: string,
  ): KernelMessage<T> {
    return {
      header: {
        msg_id: randomUUID(),
        msg_type: type,
        session: this.session,
        username: 'atrium',
        date: new Date().toISOString(),
        version: '5.3',
      },
      parent_header: parentId ? { msg_id: parentId, msg_type: 'execute_request', session: this.session } : {},
      metadata: {},
      content,
    };
  }

  private send(msg: KernelMessage): void {
    this.channel.input.write(`${JSON.stringify(msg)}\n`);
  }

  /** Runs code; every message it causes goes to the listener; resolves with the execute_reply. */
  execute(
    content: ExecuteRequestContent,
    listener: MessageListener = () => {},
  ): Promise<ExecuteReplyContent> {
    const request = this.message('execute_request', content);
    if (this.deadReason)
      return Promise.resolve(this.synthesizeDeath(request.header.msg_id, listener, this.deadReason));
    return new Promise((resolve) => {
      this.pending.set(request.header.msg_id, { listener, reply: null, resolve });
      this.options.onActivity?.();
      this.send(request);
    });
  }

  /** Asks the runner for something and waits for its answer. */
  private request<T extends KernelMessageType>(
    type: T,
    content: KernelContentMap[T],
    timeoutMs = 10_000,
  ): Promise<KernelMessage> {
    const msg = this.message(type, content);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(msg.header.msg_id);
        reject(new Error(`${type} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(msg.header.msg_id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.send(msg);
    });
  }

  /** Completions at the cursor (Tab in the cell editor); the schema checked the reply. */
  async complete(content: CompleteRequestContent): Promise<CompleteReplyContent> {
    const reply = await this.request('complete_request', content);
    if (reply.header.msg_type !== 'complete_reply') throw new Error('complete_request got no complete_reply');
    return reply.content as CompleteReplyContent;
  }

  /** What the name at the cursor is (Shift+Tab in the cell editor). */
  async inspect(content: InspectRequestContent): Promise<InspectReplyContent> {
    const reply = await this.request('inspect_request', content);
    if (reply.header.msg_type !== 'inspect_reply') throw new Error('inspect_request got no inspect_reply');
    return reply.content as InspectReplyContent;
  }

  async interrupt(): Promise<void> {
    await this.request('interrupt_request', {});
  }

  /** A fresh kernel state in the same sandbox. */
  async restart(): Promise<void> {
    await this.request('shutdown_request', { restart: true }, 20_000);
  }

  /** Ends every pending execution with an error saying why the kernel is gone. */
  markDead(reason: string): void {
    if (this.deadReason) return;
    this.deadReason = reason;
    this.state = 'dead';
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(this.synthesizeDeath(id, p.listener, reason));
    }
  }

  get reason(): string | null {
    return this.deadReason;
  }

  private synthesizeDeath(parentId: string, listener: MessageListener, reason: string): ExecuteReplyContent {
    const error = { ename: 'KernelDied', evalue: reason, traceback: [`KernelDied: ${reason}`] };
    this.deliver(listener, this.message('error', error, parentId));
    const reply: ExecuteReplyContent = { status: 'error', execution_count: 0, ...error };
    this.deliver(listener, this.message('execute_reply', reply, parentId));
    this.deliver(listener, this.message('status', { execution_state: 'dead' }, parentId));
    return reply;
  }

  /** A listener that throws (whoever consumes the outputs) ends this kernel, never the server. */
  private deliver(listener: MessageListener, msg: KernelMessage): void {
    try {
      listener(msg);
    } catch (err) {
      this.violated(err);
    }
  }

  close(): void {
    this.channel.close();
  }
}
