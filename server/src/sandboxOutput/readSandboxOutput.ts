import type { SandboxChannel } from '../runtime/SandboxDriver.js';
import type { ChannelViolations } from './ChannelViolations.js';
import { longLineReason, PROTOCOL_VIOLATION_REASON } from './limits.js';
import { readBoundedLines } from './readBoundedLines.js';

export interface SandboxOutputOptions {
  /** Names the sandbox in the log, e.g. `app sandbox 0123abcd`. */
  source: string;
  violations: ChannelViolations;
  /** Longest line on the channel (stdout); past it the sandbox is ended. */
  maxLineBytes: number;
  onLine: (line: string) => void;
  /** Longest stderr line kept; longer ones are cut (stderr is a log, never a reason to end). */
  stderrLineBytes: number;
  onStderrLine: (line: string) => void;
  /** Called once, when the sandbox must end for what it wrote: its owner ends it. */
  onBroken: (reason: string) => void;
}

export interface SandboxOutputGuard {
  /** Handling one of its messages threw: counted, logged, and the sandbox ended as a protocol violation. */
  violated(err: unknown): void;
  /** Why the sandbox was ended for what it wrote, or null. */
  readonly brokenReason: string | null;
}

/**
 * Reads both output streams of a sandbox (kernel or Space app) as hostile input: bounded lines on
 * each, a line past the limit or a handler that throws ends that sandbox once, with the reason, and
 * is counted; nothing reaches the event loop.
 */
export function readSandboxOutput(
  channel: Pick<SandboxChannel, 'output' | 'errors'>,
  options: SandboxOutputOptions,
): SandboxOutputGuard {
  let brokenReason: string | null = null;
  const broken = (reason: string) => {
    if (brokenReason) return;
    brokenReason = reason;
    options.onBroken(reason);
  };
  const violated = (err: unknown) => {
    if (brokenReason) return;
    options.violations.violation(options.source, err);
    broken(PROTOCOL_VIOLATION_REASON);
  };
  readBoundedLines(channel.output, {
    maxBytes: options.maxLineBytes,
    longLines: 'end',
    onLine: options.onLine,
    onLongLine: () => {
      const reason = longLineReason(options.maxLineBytes);
      options.violations.oversized(options.source, reason);
      broken(reason);
    },
    onError: violated,
  });
  readBoundedLines(channel.errors, {
    maxBytes: options.stderrLineBytes,
    longLines: 'cut',
    onLine: options.onStderrLine,
    onError: violated,
  });
  return {
    violated,
    get brokenReason() {
      return brokenReason;
    },
  };
}
