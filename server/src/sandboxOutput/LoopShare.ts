/**
 * The share of the event loop that reading sandbox output may take: in every window of `windowMs`,
 * at most `share` of it. Sandboxes can write far faster than the server can validate; without a
 * cap a few flooding sandboxes keep the loop busy back to back and every request (health checks,
 * other users' pages) waits behind them. Readers over budget pause their stream until the next
 * window, which pushes back on the sandbox through its pipe; nothing is dropped.
 */
export class LoopShare {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    private readonly windowMs = 100,
    private readonly share = 0.5,
  ) {}

  /** Milliseconds readers may still spend in the current window (0: wait for the next). */
  left(now = performance.now()): number {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    return Math.max(0, this.windowMs * this.share - this.used);
  }

  spend(ms: number): void {
    this.used += ms;
  }

  /** Milliseconds until the next window opens. */
  untilNextWindow(now = performance.now()): number {
    return Math.max(0, this.windowStart + this.windowMs - now);
  }
}

/** The one share every sandbox reader of this process draws from. */
export const sandboxOutputShare = new LoopShare();

/**
 * No cap: for trusted, low-rate streams (the engine's own lifecycle events), which must not wait
 * behind flooding sandboxes: a death notice delayed there leaves cells hanging.
 */
export const unpacedShare = new LoopShare(100, Number.POSITIVE_INFINITY);
