import type { AppLoadReply, AppLoadRequest, AppModelReply, DemoHostReply } from '@atrium/protocol';
import { logModelFetch, type SandboxModelProvider } from '../../models/provideToSandbox.js';
import type { SandboxChannel } from '../../runtime/SandboxDriver.js';
import type { DemoHostChannel } from '../gradio/DemoHostBackend.js';
import { boundedLines } from './boundedLines.js';

/** Longest reply line (outputs with images as data: URLs are big) and longest log line kept. */
const MAX_REPLY_CHARS = 64 * 1024 * 1024;
const MAX_LOG_CHARS = 8 * 1024;

/**
 * The server's end of one app-mode sandbox (sandbox/src/runner/appMain.ts): waits for the runner,
 * hands it a Space (`load`), then carries the demo messages for a DemoHostBackend. The app's
 * stderr is its run log.
 */
export class AppSandbox {
  /** Resolves with why the sandbox went away (exit, removal). */
  readonly ended: Promise<string>;
  /** Resolves once the runner waits for a Space. */
  readonly waiting: Promise<void>;
  private readonly replyListeners = new Set<(reply: DemoHostReply) => void>();
  private loadWaiters = new Map<string, (reply: AppLoadReply) => void>();
  private logSink: ((line: string) => void) | null = null;
  private early: string[] = [];
  private exitReason: string | null = null;

  constructor(
    readonly containerId: string,
    private readonly channel: SandboxChannel,
    /** Asked when the channel ends: why did the container stop (exit code, out of memory)? */
    why: () => Promise<string>,
    /** Answers the app's `model_request`s; without it every such request is refused. */
    private readonly provideModel?: SandboxModelProvider,
  ) {
    let markWaiting: () => void = () => {};
    this.waiting = new Promise<void>((resolve) => (markWaiting = resolve));
    const tooLong = () => {
      this.log(`The app wrote a line longer than ${MAX_REPLY_CHARS} characters: stopping it`);
      channel.close();
    };
    boundedLines(
      channel.output,
      MAX_REPLY_CHARS,
      (line) => {
        let msg: (AppLoadReply | DemoHostReply) | undefined;
        try {
          msg = JSON.parse(line) as AppLoadReply | DemoHostReply;
        } catch {
          this.log(line);
          return;
        }
        if (!msg || typeof msg !== 'object' || typeof msg.id !== 'string') return this.log(line);
        if (msg.type === 'app_waiting') return markWaiting();
        if (msg.type === 'model_request') return void this.answerModelRequest(msg.id, String(msg.model_id));
        if (msg.type === 'app_loaded' || msg.type === 'app_load_error') {
          this.loadWaiters.get(msg.id)?.(msg);
          this.loadWaiters.delete(msg.id);
          return;
        }
        for (const l of this.replyListeners) l(msg);
      },
      tooLong,
    );
    boundedLines(channel.errors, MAX_REPLY_CHARS, (line) => this.log(line), tooLong);
    this.ended = channel.ended.then(async () => {
      this.exitReason = await why().catch(() => 'the sandbox stopped');
      for (const w of this.loadWaiters.values())
        w({ type: 'app_load_error', id: '', phase: 'run', message: `The app stopped: ${this.exitReason}` });
      this.loadWaiters.clear();
      return this.exitReason;
    });
  }

  get alive(): boolean {
    return this.exitReason === null;
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
    const answer = this.provideModel
      ? await this.provideModel(
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
      onClose: (listener) => {
        void this.ended.then(listener);
      },
    };
  }

  close(): void {
    this.channel.close();
  }
}
