import { type MimeBundle, OUTPUT_TRUNCATED_NOTICE } from '@atrium/protocol';
import type { ChildEvent } from './ipc.js';

export interface OutputLimits {
  /** Bytes of output one execution may produce; beyond it output is dropped with a notice. */
  maxBytes: number;
  /** Rich outputs (display/update) per second; beyond it they are dropped with a notice. */
  maxDisplaysPerSecond: number;
}

// Coalescing stream text keeps the message rate bounded whatever the cell's write pattern.
const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 10;

/** Orders, coalesces and caps one execution's outputs before they leave the kernel. */
export class OutputGate {
  private pending: { name: 'stdout' | 'stderr'; text: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private bytes = 0;
  private truncated = false;
  private windowStart = 0;
  private displaysInWindow = 0;
  private displaysDropped = 0;

  constructor(
    private readonly limits: OutputLimits,
    private readonly send: (event: ChildEvent) => void,
  ) {}

  /** Starts counting a new execution's output. */
  begin(): void {
    this.bytes = 0;
    this.truncated = false;
    this.displaysDropped = 0;
  }

  /** Flushes and reports what was dropped. */
  end(): void {
    this.flush();
    if (this.displaysDropped > 0) {
      this.send({
        t: 'stream',
        name: 'stderr',
        text: `\n[output rate limit: ${this.displaysDropped} rich outputs dropped (more than ${this.limits.maxDisplaysPerSecond}/s)]\n`,
      });
      this.displaysDropped = 0;
    }
  }

  private admit(size: number): boolean {
    if (this.truncated) return false;
    if (this.bytes + size > this.limits.maxBytes) {
      this.truncated = true;
      this.flush();
      this.send({ t: 'stream', name: 'stderr', text: OUTPUT_TRUNCATED_NOTICE });
      return false;
    }
    this.bytes += size;
    return true;
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    if (!this.admit(Buffer.byteLength(text))) return;
    if (this.pending && this.pending.name !== name) this.flush();
    if (this.pending) this.pending.text += text;
    else this.pending = { name, text };
    if (this.pending.text.length >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const { name, text } = this.pending;
    this.pending = null;
    this.send({ t: 'stream', name, text });
  }

  private rateOk(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.displaysInWindow = 0;
    }
    if (this.displaysInWindow >= this.limits.maxDisplaysPerSecond) {
      this.displaysDropped += 1;
      return false;
    }
    this.displaysInWindow += 1;
    return true;
  }

  display(update: boolean, data: MimeBundle, displayId: string): void {
    if (!this.rateOk() || !this.admit(JSON.stringify(data).length)) return;
    this.flush();
    this.send({ t: 'display', update, data, displayId });
  }

  clear(wait: boolean): void {
    this.flush();
    this.send({ t: 'clear', wait });
  }

  result(data: MimeBundle): void {
    if (!this.admit(JSON.stringify(data).length)) return;
    this.flush();
    this.send({ t: 'result', data });
  }
}
