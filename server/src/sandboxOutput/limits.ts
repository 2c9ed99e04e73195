/**
 * The longest line a sandbox may write on its control channel: a notebook's rich output may reach
 * the runner's 32 MiB output cap in one message, and a Space's outputs carry images as data: URLs.
 * Longer ends the sandbox, since no honest runner writes it.
 */
export const MAX_CHANNEL_LINE_BYTES = 64 * 1024 * 1024;

/** Why a sandbox was ended for writing a line past the limit (the kernel's reason, the Space's log). */
export const longLineReason = (maxBytes = MAX_CHANNEL_LINE_BYTES) =>
  `the sandbox wrote a line longer than ${maxBytes / (1024 * 1024)} MiB`;

/** Why a sandbox was ended after a message whose handling threw. */
export const PROTOCOL_VIOLATION_REASON = 'protocol violation';
