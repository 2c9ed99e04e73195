import { randomUUID } from 'node:crypto';
import type { DemoDescription, DemoHostReply, DemoHostRequest } from '@atrium/protocol';
import { type AnyComponent, componentFromConfig, DemoError } from '@atrium/sandbox/sdk';
import { type Checked, checkMessage } from '../../sandboxOutput/checkMessage.js';
import type { DemoBackend, DemoCallHooks, DemoCallResult } from './DemoBackend.js';
import { DemoHostReplySchema } from './demoHostReplySchema.js';

/** A line-oriented link to a demo host (a child process's stdio, a sandbox's control channel). */
export interface DemoHostChannel {
  send(request: DemoHostRequest): void;
  /** Every reply-like message from the host, unchecked: the backend checks each one. */
  onReply(listener: (reply: unknown) => void): void;
  /** Called once if the host goes away; every pending call then fails as 'unavailable'. */
  onClose(listener: (reason: string) => void): void;
  /** A reply the backend refused (the wrong shape, outputs that do not fit): for the owner to count. */
  dropped?(problem: string): void;
}

interface Pending {
  kind: DemoHostRequest['type'];
  resolve: (value: DemoCallResult | DemoDescription) => void;
  reject: (err: Error) => void;
  onPartial?: (outputs: unknown[]) => void;
}

/**
 * A DemoBackend that speaks app mode's messages to a demo host over a channel, correlating by id.
 * The host is hostile input: each reply is checked against the protocol's shapes, outputs against
 * the demo's own output components (as the SDK would serialise them), replies to unknown or
 * finished requests are ignored, and an invalid one is dropped (a result that does not fit fails
 * its call with a message saying so).
 */
export class DemoHostBackend implements DemoBackend {
  private readonly pending = new Map<string, Pending>();
  private closed: string | undefined;
  /** The demo's output components, rebuilt from its description. */
  private outputs: AnyComponent[] | undefined;

  constructor(private readonly channel: DemoHostChannel) {
    channel.onReply((reply) => this.receive(reply));
    channel.onClose((reason) => {
      this.closed = reason;
      for (const p of this.pending.values())
        p.reject(new DemoError(`The app stopped: ${reason}`, 'unavailable'));
      this.pending.clear();
    });
  }

  describe(): Promise<DemoDescription> {
    return this.request({ type: 'describe', id: randomUUID() }) as Promise<DemoDescription>;
  }

  call(apiName: string, inputs: unknown[], hooks: DemoCallHooks): Promise<DemoCallResult> {
    const id = randomUUID();
    const onAbort = () => this.channel.send({ type: 'cancel', id });
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    return (
      this.request({ type: 'call', id, apiName, inputs }, hooks.onPartial) as Promise<DemoCallResult>
    ).finally(() => hooks.signal.removeEventListener('abort', onAbort));
  }

  private request(message: DemoHostRequest, onPartial?: (outputs: unknown[]) => void) {
    if (this.closed) return Promise.reject(new DemoError(`The app stopped: ${this.closed}`, 'unavailable'));
    return new Promise<DemoCallResult | DemoDescription>((resolve, reject) => {
      this.pending.set(message.id, {
        kind: message.type,
        resolve,
        reject,
        ...(onPartial ? { onPartial } : {}),
      });
      this.channel.send(message);
    });
  }

  private receive(raw: unknown): void {
    const checked = checkMessage(DemoHostReplySchema, raw);
    if (!checked.ok) return void this.channel.dropped?.(`not a demo reply (${checked.problem})`);
    const reply: DemoHostReply = checked.value;
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'error') {
      this.pending.delete(reply.id);
      return void p.reject(new DemoError(reply.message, reply.kind));
    }
    if (reply.type === 'description') {
      if (p.kind !== 'describe') return void this.channel.dropped?.('a description answering a call');
      this.pending.delete(reply.id);
      return void this.described(reply.demo, p);
    }
    if (p.kind !== 'call') return void this.channel.dropped?.(`a ${reply.type} answering a describe`);
    const fitted = this.fit(reply.outputs);
    if (reply.type === 'partial') {
      if (!fitted.ok)
        return void this.channel.dropped?.(`partial outputs that do not fit: ${fitted.problem}`);
      return void p.onPartial?.(fitted.value);
    }
    this.pending.delete(reply.id);
    if (fitted.ok) p.resolve({ outputs: fitted.value, durationMs: reply.durationMs });
    else
      p.reject(
        new DemoError(
          `The app returned outputs that do not fit its output components: ${fitted.problem}`,
          'function',
        ),
      );
  }

  /** The components are rebuilt here, so a description the SDK could not have made fails describe(). */
  private described(demo: DemoDescription, p: Pending): void {
    try {
      for (const config of demo.inputs) componentFromConfig(config);
      this.outputs = demo.outputs.map(componentFromConfig);
    } catch (err) {
      return void p.reject(
        new DemoError(
          `The app described itself wrongly: ${err instanceof Error ? err.message : err}`,
          'function',
        ),
      );
    }
    p.resolve(demo);
  }

  /** Outputs as the demo's output components serialise them (a value they refuse names its component). */
  private fit(outputs: unknown[]): Checked<unknown[]> {
    const components = this.outputs;
    if (!components) return { ok: false, problem: 'the app has not described its outputs' };
    if (outputs.length !== components.length)
      return { ok: false, problem: `expected ${components.length} outputs, got ${outputs.length}` };
    try {
      return { ok: true, value: components.map((c, i) => c.serialize(outputs[i])) };
    } catch (err) {
      return { ok: false, problem: err instanceof Error ? err.message : String(err) };
    }
  }
}
