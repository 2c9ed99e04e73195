import type { Logger } from '../logger.js';

/** How often each kind of refusal may reach the log; the ones in between are counted in the next line. */
const LOG_EVERY_MS = 10_000;

type Kind = 'dropped' | 'oversized' | 'violations';

/**
 * Counts what sandboxes wrote that the server refused, for `/api/health` (`sandboxOutput`), and logs
 * it at a bounded rate: a sandbox flooding its channel with garbage must not flood the log too.
 * - dropped: a line or message that is not valid (unsigned, not JSON, the wrong shape), ignored;
 * - oversized: a line past the channel's limit, which ended its sandbox;
 * - violations: an exception while handling a message, which ended its sandbox.
 */
export class ChannelViolations {
  private readonly counts: Record<Kind, number> = { dropped: 0, oversized: 0, violations: 0 };
  private readonly lastLog: Record<Kind, { at: number; counted: number }> = {
    dropped: { at: Number.NEGATIVE_INFINITY, counted: 0 },
    oversized: { at: Number.NEGATIVE_INFINITY, counted: 0 },
    violations: { at: Number.NEGATIVE_INFINITY, counted: 0 },
  };

  constructor(private readonly log?: Logger) {}

  /** An invalid line or message from `source` (e.g. `kernel <id>`), ignored. */
  dropped(source: string, problem: string): void {
    this.count('dropped', { source, problem }, 'dropped invalid output of a sandbox');
  }

  /** A line past the limit: the sandbox is being ended. */
  oversized(source: string, reason: string): void {
    this.count('oversized', { source, reason }, 'ended a sandbox that wrote an over-long line');
  }

  /** An exception while handling a sandbox's message: the sandbox is being ended. */
  violation(source: string, err: unknown): void {
    this.count('violations', { source, err }, 'ended a sandbox after a protocol violation');
  }

  /** The counts since start-up. */
  report(): Record<Kind, number> {
    return { ...this.counts };
  }

  private count(kind: Kind, details: Record<string, unknown>, message: string): void {
    this.counts[kind] += 1;
    const last = this.lastLog[kind];
    const now = performance.now();
    if (now - last.at < LOG_EVERY_MS) return;
    const since = this.counts[kind] - last.counted;
    last.at = now;
    last.counted = this.counts[kind];
    this.log?.warn({ ...details, [kind]: since, total: this.counts[kind] }, message);
  }
}
