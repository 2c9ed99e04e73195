import { randomInt, randomUUID } from 'node:crypto';
import type { DemoDescription } from '@atrium/protocol';
import { type AnyComponent, componentFromConfig, DemoError, DemoQueue } from '@atrium/sandbox/sdk';
import type { UploadQuota } from '../../quota/UploadQuota.js';
import type { DemoBackend } from './DemoBackend.js';
import { gradioApiInfo, gradioConfig } from './gradioConfig.js';
import { toDemoInputs, toGradioOutputs } from './gradioValues.js';
import type { EventSink } from './sse.js';
import { UploadStore } from './UploadStore.js';
import { diffValue } from './valueDiff.js';

/** What happens to one queued call, in order: rank updates, start, partials, then done or error. */
interface RunListener {
  rank(rank: number, size: number): void;
  start(): void;
  partial(outputs: unknown[]): void;
  done(outputs: unknown[], durationMs: number): void;
  error(message: string): void;
}

/** A browser tab or client: its queue/data stream and the events it is waiting for. */
interface Session {
  buffer: Record<string, unknown>[];
  sink: EventSink | undefined;
  pending: Set<string>;
  touched: number;
}

/** A curl-style /call event: its messages are kept until it is read or expires. */
interface CallEvent {
  apiName: string;
  buffer: [string, unknown][];
  sink: EventSink | undefined;
  done: boolean;
  touched: number;
}

export interface GradioAppOptions {
  /** Calls waiting or running at once before join answers 503 "queue full". */
  maxPending?: number;
  /** Sessions and /call results nobody reads are dropped after this long. */
  idleMs?: number;
  /** A running call is stopped after this long (0: never); the caller gets an error, the queue moves on. */
  callTimeoutMs?: number;
  /** How long a stopped call's app has to give it up before it is called stuck (default 5 s). */
  cancelGraceMs?: number;
  /** Hears each call stopped by the limit, as a line for the app's log. */
  onCallTimeout?: (line: string) => void;
  /** The app did not give up a stopped call in time (a synchronous loop blocks even its cancel). */
  onStuck?: (line: string) => void;
  /** Shared by every app: what each person may hold in uploads. */
  uploadQuota?: UploadQuota;
}

/** A call the caller got wrong: answered 422 (join) or as an error event (/call). */
export class GradioInputError extends Error {}

/**
 * One demo behind Gradio's API: the FIFO queue with the demo's concurrency limit, the
 * per-session queue/data streams and the /call events. Knows nothing of HTTP routing.
 */
export class GradioApp {
  readonly uploads: UploadStore;
  /** Gradio's app_id: a client that sees it change knows the app restarted. */
  readonly appId = randomInt(2 ** 47);
  private readonly queue: DemoQueue;
  private readonly inputs: AnyComponent[];
  private readonly sessions = new Map<string, Session>();
  private readonly calls = new Map<string, CallEvent>();
  private readonly running = new Map<string, AbortController>();
  private readonly heartbeats = new Set<EventSink>();
  private averageMs: number | undefined;
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxPending: number;
  private readonly idleMs: number;

  constructor(
    readonly description: DemoDescription,
    private readonly backend: DemoBackend,
    private readonly options: GradioAppOptions = {},
  ) {
    this.uploads = new UploadStore(options.uploadQuota);
    this.queue = new DemoQueue(description.concurrencyLimit);
    this.inputs = description.inputs.map(componentFromConfig);
    this.maxPending = options.maxPending ?? 1000;
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  /** Asks the backend for its description and serves it. */
  static async create(backend: DemoBackend, options?: GradioAppOptions): Promise<GradioApp> {
    return new GradioApp(await backend.describe(), backend, options);
  }

  config(root: string) {
    return gradioConfig(this.description, root, this.appId);
  }

  info() {
    return gradioApiInfo(this.description);
  }

  /** Calls waiting or running now. */
  get pending(): number {
    return this.running.size;
  }

  /** queue/join: checks the inputs, queues the call and returns its event id. */
  join(sessionHash: string, fnIndex: number | undefined, data: unknown[]): string {
    if (fnIndex !== undefined && fnIndex !== 0)
      throw new GradioInputError(`No function with fn_index ${fnIndex}`);
    const inputs = this.prepare(data);
    const id = randomUUID().replaceAll('-', '');
    const session = this.session(sessionHash);
    session.pending.add(id);
    const emit = (msg: Record<string, unknown>) => {
      const full = { ...msg, event_id: id };
      if (session.sink) session.sink.send(undefined, full);
      else session.buffer.push(full);
    };
    let announced = false;
    let last: unknown[] | undefined;
    const finish = (msg: Record<string, unknown>) => {
      emit(msg);
      session.pending.delete(id);
      session.touched = Date.now();
      if (session.pending.size === 0 && session.sink) {
        session.sink.send(undefined, { msg: 'close_stream', event_id: null });
        session.sink.end();
        session.sink = undefined;
      }
    };
    this.run(id, inputs, {
      rank: (rank, size) => {
        announced = true;
        emit({
          msg: 'estimation',
          rank,
          queue_size: size,
          rank_eta: this.eta(rank),
          avg_event_process_time: this.eta(0),
        });
      },
      start: () => {
        if (!announced) emit({ msg: 'estimation', rank: 0, queue_size: 0, rank_eta: this.eta(0) });
        emit({ msg: 'process_starts', eta: this.eta(0), progress_data: null });
      },
      partial: (outputs) => {
        // sse_v3: the first partial is sent whole, later ones as edits of the previous.
        const data = last ? outputs.map((o, i) => diffValue(last?.[i], o)) : outputs;
        last = outputs;
        emit({ msg: 'process_generating', output: { data, is_generating: true }, success: true });
      },
      done: (outputs, durationMs) =>
        finish({
          msg: 'process_completed',
          output: {
            data: outputs,
            is_generating: false,
            duration: durationMs / 1000,
            average_duration: (this.averageMs ?? durationMs) / 1000,
            render_config: null,
            changed_state_ids: [],
          },
          success: true,
        }),
      error: (message) =>
        finish({
          msg: 'process_completed',
          output: { error: message, title: 'Error', visible: true },
          success: false,
        }),
    });
    return id;
  }

  /** queue/data: attaches the session's stream, replays what it missed, closes when nothing is pending. */
  openSessionStream(sessionHash: string, sink: EventSink): void {
    const session = this.session(sessionHash);
    session.sink?.end();
    session.sink = sink;
    for (const msg of session.buffer.splice(0)) sink.send(undefined, msg);
    if (session.pending.size === 0) {
      sink.send(undefined, { msg: 'close_stream', event_id: null });
      sink.end();
      session.sink = undefined;
    }
  }

  detachSessionStream(sessionHash: string, sink: EventSink): void {
    const session = this.sessions.get(sessionHash);
    if (session?.sink === sink) session.sink = undefined;
  }

  /** POST call/<api>: queues the call; its messages wait for GET call/<api>/<event_id>. */
  startCall(apiName: string, data: unknown[]): string {
    if (apiName !== this.description.apiName) throw new GradioInputError(`No endpoint named "/${apiName}"`);
    const id = randomUUID().replaceAll('-', '');
    const event: CallEvent = { apiName, buffer: [], sink: undefined, done: false, touched: Date.now() };
    this.calls.set(id, event);
    const emit = (name: string, value: unknown, last = false) => {
      if (event.sink) event.sink.send(name, value);
      else event.buffer.push([name, value]);
      if (last) {
        event.done = true;
        event.touched = Date.now();
        event.sink?.end();
      }
    };
    let inputs: unknown[];
    try {
      inputs = this.prepare(data);
    } catch (err) {
      emit('error', (err as Error).message, true);
      return id;
    }
    this.run(id, inputs, {
      rank: () => {},
      start: () => {},
      partial: (outputs) => emit('generating', outputs),
      done: (outputs) => emit('complete', outputs, true),
      error: (message) => emit('error', message, true),
    });
    return id;
  }

  /** GET call/<api>/<event_id>: replays and streams the call's messages; false if unknown. */
  openCallStream(apiName: string, eventId: string, sink: EventSink): boolean {
    const event = this.calls.get(eventId);
    if (!event || event.apiName !== apiName) return false;
    for (const [name, value] of event.buffer) sink.send(name, value);
    if (event.done) {
      sink.end();
      return true;
    }
    event.buffer = [];
    event.sink?.end();
    event.sink = sink;
    return true;
  }

  hasCall(apiName: string, eventId: string): boolean {
    return this.calls.get(eventId)?.apiName === apiName;
  }

  detachCallStream(eventId: string, sink: EventSink): void {
    const event = this.calls.get(eventId);
    if (event?.sink === sink) event.sink = undefined;
  }

  /** heartbeat/<session>: a stream that only keeps the session alive (Python's gradio_client holds one open). */
  openHeartbeat(sink: EventSink): () => void {
    this.heartbeats.add(sink);
    return () => this.heartbeats.delete(sink);
  }

  /** Stops a waiting or running call; its caller gets an error event. */
  cancel(eventId: string): boolean {
    const controller = this.running.get(eventId);
    controller?.abort();
    return controller !== undefined;
  }

  /**
   * Cancels every call and ends every stream (app restart or server shutdown). Open streams hear
   * an error for each unfinished call first, so no caller waits for an answer that cannot come.
   */
  close(reason = 'The app stopped or restarted'): Map<string, Record<string, unknown>[]> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.uploads.clear();
    for (const controller of this.running.values()) controller.abort();
    // A caller who joined but has not opened its stream yet hears the error when it does (adoptSessions).
    const unheard = new Map<string, Record<string, unknown>[]>();
    for (const [hash, session] of this.sessions) {
      if (!session.sink && session.pending.size > 0)
        unheard.set(hash, [...session.buffer, ...failures(session.pending, reason)]);
      this.endSessionStream(session, reason);
    }
    for (const event of this.calls.values()) this.endCallStream(event, reason);
    for (const sink of this.heartbeats) sink.end();
    this.heartbeats.clear();
    this.sessions.clear();
    this.calls.clear();
    return unheard;
  }

  /** Keeps what a previous app's callers have not heard yet, for their session streams to replay. */
  adoptSessions(unheard: Map<string, Record<string, unknown>[]>): void {
    for (const [hash, messages] of unheard) this.session(hash).buffer.push(...messages);
  }

  /** One caller lost access (the Space became private to them): their session's calls stop and its stream hears why. */
  endSession(sessionHash: string, reason: string): void {
    const session = this.sessions.get(sessionHash);
    if (!session) return;
    this.sessions.delete(sessionHash);
    for (const id of session.pending) this.running.get(id)?.abort();
    this.endSessionStream(session, reason);
  }

  /** The same for one /call event and its stream. */
  endCall(eventId: string, reason: string): void {
    const event = this.calls.get(eventId);
    if (!event) return;
    this.calls.delete(eventId);
    this.running.get(eventId)?.abort();
    this.endCallStream(event, reason);
  }

  /** Tells an open session stream that each unfinished call failed, then closes it. */
  private endSessionStream(session: Session, reason: string): void {
    const sink = session.sink;
    if (sink) {
      for (const failure of failures(session.pending, reason)) sink.send(undefined, failure);
      sink.send(undefined, { msg: 'close_stream', event_id: null });
      sink.end();
      session.sink = undefined;
    }
    session.pending.clear();
  }

  private endCallStream(event: CallEvent, reason: string): void {
    if (!event.done) event.sink?.send('error', reason);
    event.sink?.end();
    event.sink = undefined;
    event.done = true;
  }

  /** Converts and checks inputs with the demo's own components, so bad input never waits in line. */
  private prepare(data: unknown[]): unknown[] {
    if (data.length > this.inputs.length) {
      throw new GradioInputError(`Expected at most ${this.inputs.length} inputs, got ${data.length}`);
    }
    if (this.running.size >= this.maxPending) throw new GradioQueueFullError();
    try {
      const inputs = toDemoInputs(this.description, data, this.uploads);
      this.inputs.forEach((c, i) => {
        c.parse(inputs[i]);
      });
      return inputs;
    } catch (err) {
      if (err instanceof DemoError) throw new GradioInputError(err.message);
      throw err;
    }
  }

  private run(id: string, inputs: unknown[], listener: RunListener): void {
    const controller = new AbortController();
    this.running.set(id, controller);
    const { description, backend } = this;
    const signal = controller.signal;
    this.queue
      .run(
        () =>
          this.withinTimeLimit(
            backend.call(description.apiName, inputs, {
              signal,
              onPartial: (outputs) => listener.partial(toGradioOutputs(description, outputs)),
            }),
            controller,
          ),
        { onRank: listener.rank, onStart: listener.start, signal },
      )
      .then(
        (result) => {
          this.running.delete(id);
          this.averageMs =
            this.averageMs === undefined ? result.durationMs : this.averageMs * 0.9 + result.durationMs * 0.1;
          listener.done(toGradioOutputs(description, result.outputs), result.durationMs);
        },
        (err: unknown) => {
          this.running.delete(id);
          listener.error(err instanceof Error ? err.message : String(err));
        },
      )
      // Reporting the outcome failed (a bug here, not the app's): the caller still hears of it.
      .catch((err: unknown) => {
        this.running.delete(id);
        try {
          listener.error(`The call could not be answered: ${err instanceof Error ? err.message : err}`);
        } catch {}
      });
  }

  /**
   * Ends a running call at the time limit: it is cancelled in the app and fails for its caller at once,
   * so its slot goes to the next in line whether or not the app obeys. An app that has not given the
   * call up after the grace period is stuck (a synchronous loop blocks even its cancel).
   */
  private withinTimeLimit<T>(call: Promise<T>, controller: AbortController): Promise<T> {
    const limitMs = this.options.callTimeoutMs ?? 0;
    if (limitMs <= 0) return call;
    const seconds = limitMs / 1000;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        this.options.onCallTimeout?.(
          `A call to /${this.description.apiName} was stopped after ${seconds} s (the Space's call_duration_timeout)`,
        );
        const graceMs = this.options.cancelGraceMs ?? 5000;
        const grace = setTimeout(() => {
          if (!this.closed)
            this.options.onStuck?.(`The app did not stop a call within ${graceMs / 1000} s of its cancel`);
        }, graceMs).unref();
        const settled = () => clearTimeout(grace);
        call.then(settled, settled);
        reject(
          new Error(
            `This call took longer than the Space's limit of ${seconds} s and was stopped (call_duration_timeout in its README.md).`,
          ),
        );
      }, limitMs);
    });
    return Promise.race([call, limit]).finally(() => clearTimeout(timer));
  }

  private eta(rank: number): number | null {
    if (this.averageMs === undefined) return null;
    return ((Math.floor(rank / this.description.concurrencyLimit) + 1) * this.averageMs) / 1000;
  }

  private session(hash: string): Session {
    let session = this.sessions.get(hash);
    if (!session) {
      session = { buffer: [], sink: undefined, pending: new Set(), touched: Date.now() };
      this.sessions.set(hash, session);
    }
    session.touched = Date.now();
    return session;
  }

  private sweep(): void {
    const before = Date.now() - this.idleMs;
    for (const [hash, s] of this.sessions) {
      if (s.pending.size === 0 && !s.sink && s.touched < before) this.sessions.delete(hash);
    }
    for (const [id, e] of this.calls) if (e.done && !e.sink && e.touched < before) this.calls.delete(id);
  }
}

/** More calls waiting than the app accepts: join answers 503, which @gradio/client reports as busy. */
export class GradioQueueFullError extends Error {
  constructor() {
    super('This application is currently busy. Please try again.');
  }
}

/** What a caller hears for each of its unfinished calls when the app goes away or its access ends. */
function failures(pending: Iterable<string>, reason: string): Record<string, unknown>[] {
  return [...pending].map((id) => ({
    msg: 'process_completed',
    event_id: id,
    output: { error: reason, title: 'Error', visible: true },
    success: false,
  }));
}
