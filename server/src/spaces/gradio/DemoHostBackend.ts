import { randomUUID } from 'node:crypto';
import type { DemoDescription, DemoHostReply, DemoHostRequest } from '@atrium/protocol';
import { DemoError } from '@atrium/sandbox/sdk';
import type { DemoBackend, DemoCallHooks, DemoCallResult } from './DemoBackend.js';

/** A line-oriented link to a demo host (a child process's stdio, a sandbox's control channel). */
export interface DemoHostChannel {
  send(request: DemoHostRequest): void;
  onReply(listener: (reply: DemoHostReply) => void): void;
  /** Called once if the host goes away; every pending call then fails as 'unavailable'. */
  onClose(listener: (reason: string) => void): void;
}

interface Pending {
  resolve: (value: DemoCallResult | DemoDescription) => void;
  reject: (err: Error) => void;
  onPartial?: (outputs: unknown[]) => void;
}

/** A DemoBackend that speaks app mode's messages to a demo host over a channel, correlating by id. */
export class DemoHostBackend implements DemoBackend {
  private readonly pending = new Map<string, Pending>();
  private closed: string | undefined;

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
      this.pending.set(message.id, { resolve, reject, ...(onPartial ? { onPartial } : {}) });
      this.channel.send(message);
    });
  }

  private receive(reply: DemoHostReply) {
    const p = this.pending.get(reply.id);
    if (!p) return;
    switch (reply.type) {
      case 'partial':
        p.onPartial?.(reply.outputs);
        return;
      case 'description':
        this.pending.delete(reply.id);
        p.resolve(reply.demo);
        return;
      case 'result':
        this.pending.delete(reply.id);
        p.resolve({ outputs: reply.outputs, durationMs: reply.durationMs });
        return;
      case 'error':
        this.pending.delete(reply.id);
        p.reject(new DemoError(reply.message, reply.kind));
        return;
    }
  }
}
