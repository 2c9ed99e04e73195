import type { AppLoadReply, AppLoadRequest, AppModelReply } from '@atrium/protocol';
import { logModelFetch, type SandboxModelProvider } from '../../models/provideToSandbox.js';
import type { SandboxChannel } from '../../runtime/SandboxDriver.js';
import { ChannelViolations } from '../../sandboxOutput/ChannelViolations.js';
import { checkMessage } from '../../sandboxOutput/checkMessage.js';
import { MAX_CHANNEL_LINE_BYTES } from '../../sandboxOutput/limits.js';
import { NOT_JSON, parseJsonLine } from '../../sandboxOutput/parseJsonLine.js';
import { readSandboxOutput, type SandboxOutputGuard } from '../../sandboxOutput/readSandboxOutput.js';
import type { DemoHostChannel } from '../gradio/DemoHostBackend.js';
import { DEMO_REPLY_TYPES } from '../gradio/demoHostReplySchema.js';
import { APP_MESSAGE_TYPES, AppLoadReplySchema } from './appMessageSchema.js';

/** Longest log line kept (the app's stderr, or text it prints on stdout). */
const MAX_LOG_CHARS = 8 * 1024;

export interface AppSandboxOptions {
  /** Answers the app's `model_request`s; without it every such request is refused. */
  provideModel?: SandboxModelProvider;
  /** Counts (and logs, at a rate) what the sandbox wrote that was refused. */
  violations?: ChannelViolations;
  /** Longest line accepted on the channel. */
  maxLineBytes?: number;
}

/**
 * The server's end of one app-mode sandbox (sandbox/src/runner/appMain.ts): waits for the runner,
 * hands it a Space (`load`), then carries the demo messages for a DemoHostBackend. The app's
 * stderr is its run log. Its stdout is hostile input (the app's own code can write there): lines
 * are bounded, messages checked before use, and nothing it writes can throw out of here; a line
 * past the limit or a message whose handling throws ends the sandbox, with the reason in the log.
 */
export class AppSandbox {
  /** Resolves with why the sandbox went away (exit, removal, a broken channel). */
  readonly ended: Promise<string>;
  /** Resolves once the runner waits for a Space. */
  readonly waiting: Promise<void>;
  private readonly replyListeners = new Set<(reply: unknown) => void>();
  private loadWaiters = new Map<string, (reply: AppLoadReply) => void>();
  private logSink: ((line: string) => void) | null = null;
  private early: string[] = [];
  private exitReason: string | null = null;
  /** Its stdout and stderr, read as hostile input (and why it was ended for them, if it was). */
  private readonly output: SandboxOutputGuard;
  private markWaiting: () => void = () => {};
  private readonly violations: ChannelViolations;
  private readonly source: string;

  constructor(
    readonly containerId: string,
    private readonly channel: SandboxChannel,
    /** Asked when the channel ends: why did the container stop (exit code, out of memory)? */
    why: () => Promise<string>,
    private readonly options: AppSandboxOptions = {},
  ) {
    this.source = `app sandbox ${containerId.slice(0, 12)}`;
    this.violations = options.violations ?? new ChannelViolations();
    this.waiting = new Promise<void>((resolve) => {
      this.markWaiting = resolve;
    });
    this.output = readSandboxOutput(channel, {
      source: this.source,
      violations: this.violations,
      maxLineBytes: options.maxLineBytes ?? MAX_CHANNEL_LINE_BYTES,
      onLine: (line) => this.receive(line),
      stderrLineBytes: MAX_LOG_CHARS,
      onStderrLine: (line) => this.log(line),
      onBroken: (reason) => {
        this.log(`The app was stopped: ${reason}`);
        channel.close();
      },
    });
    this.ended = channel.ended.then(async () => {
      this.exitReason = this.output.brokenReason ?? (await why().catch(() => 'the sandbox stopped'));
      for (const w of this.loadWaiters.values())
        w({ type: 'app_load_error', id: '', phase: 'run', message: `The app stopped: ${this.exitReason}` });
      this.loadWaiters.clear();
      return this.exitReason;
    });
  }

  /** One line of the app's stdout: a message for the server, or text the app printed (its log). */
  private receive(line: string): void {
    if (this.output.brokenReason) return;
    const parsed = parseJsonLine(line);
    if (!parsed.ok) {
      if (parsed.problem === NOT_JSON) this.log(line);
      else this.dropped(parsed.problem);
      return;
    }
    const msg = parsed.value as { type?: unknown } | null;
    if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string')
      return void this.log(line);
    if (DEMO_REPLY_TYPES.has(msg.type)) {
      for (const l of this.replyListeners) l(msg);
      return;
    }
    if (!APP_MESSAGE_TYPES.has(msg.type))
      return void this.dropped(`unknown message type "${msg.type.slice(0, 40)}"`);
    const checked = checkMessage(AppLoadReplySchema, msg);
    if (!checked.ok) return void this.dropped(`${msg.type}: ${checked.problem}`);
    const reply = checked.value;
    if (reply.type === 'app_waiting') return void this.markWaiting();
    if (reply.type === 'model_request') {
      this.answerModelRequest(reply.id, reply.model_id).catch((err) => this.output.violated(err));
      return;
    }
    // A load reply for no load in progress is ignored.
    this.loadWaiters.get(reply.id)?.(reply);
    this.loadWaiters.delete(reply.id);
  }

  private dropped(problem: string): void {
    this.violations.dropped(this.source, problem);
  }

  get alive(): boolean {
    return this.exitReason === null && this.output.brokenReason === null;
  }

  /** Where the app's output goes from now on (lines printed before are replayed). */
  onLog(sink: (line: string) => void): void {
    this.logSink = sink;
    for (const line of this.early.splice(0)) sink(line);
  }

  private log(full: string): void {
    const line =
      full.length > MAX_LOG_CHARS ? `${full.slice(0, MAX_LOG_CHARS)}… (${full.length} characters)` : full;
    if (this.logSink) this.logSink(line);
    else if (this.early.length < 200) this.early.push(line);
  }

  /** The app needs a model that is not under /models: cache it (progress in the run log), then answer. */
  private async answerModelRequest(id: string, modelId: string): Promise<void> {
    const answer = this.options.provideModel
      ? await this.options.provideModel(
          modelId,
          logModelFetch((line) => this.log(line)),
        )
      : ({
          status: 'error',
          model_id: modelId,
          evalue: `Model "${modelId}" cannot be fetched for this app`,
        } as const);
    const reply: AppModelReply = { type: 'model_reply', id, ...answer };
    if (this.channel.input.writable) this.channel.input.write(`${JSON.stringify(reply)}\n`);
  }

  /** Hands the Space over and waits for the app to be imported (or to fail). */
  load(request: AppLoadRequest, timeoutMs: number): Promise<AppLoadReply> {
    return new Promise<AppLoadReply>((resolve) => {
      const timer = setTimeout(() => {
        this.loadWaiters.delete(request.id);
        resolve({
          type: 'app_load_error',
          id: request.id,
          phase: 'run',
          message: `The app did not start within ${Math.round(timeoutMs / 1000)} s`,
        });
      }, timeoutMs);
      this.loadWaiters.set(request.id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.channel.input.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** The demo messages over this sandbox, for DemoHostBackend. */
  demoChannel(): DemoHostChannel {
    return {
      send: (request) => {
        if (this.channel.input.writable) this.channel.input.write(`${JSON.stringify(request)}\n`);
      },
      onReply: (listener) => {
        this.replyListeners.add(listener);
      },
      dropped: (problem) => this.dropped(problem),
      onClose: (listener) => {
        void this.ended.then(listener);
      },
    };
  }

  close(): void {
    this.channel.close();
  }
}
