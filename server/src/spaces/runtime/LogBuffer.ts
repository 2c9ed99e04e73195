import type { SpaceLogLine } from '@atrium/protocol';

/** A bounded log (build or run) that late readers replay and live readers follow. */
export class LogBuffer {
  private lines: SpaceLogLine[] = [];
  private readonly listeners = new Set<(line: SpaceLogLine) => void>();

  constructor(private readonly max = 2000) {}

  /** Appends one line per line of `text` (a trailing newline adds nothing). */
  write(text: string): void {
    const timestamp = new Date().toISOString();
    for (const data of text.replace(/\n$/, '').split('\n')) {
      const line = { data, timestamp };
      this.lines.push(line);
      // Trimmed in batches: dropping the oldest line on every write moved `max` entries per line,
      // which a flooding app turned into the event loop's longest stall.
      if (this.lines.length >= 2 * this.max) this.lines = this.lines.slice(-this.max);
      for (const l of this.listeners) l(line);
    }
  }

  /** A new build or run starts: readers keep following, the history restarts. */
  clear(): void {
    this.lines = [];
  }

  history(): readonly SpaceLogLine[] {
    return this.lines.length > this.max ? this.lines.slice(-this.max) : this.lines;
  }

  /** Follows new lines; returns the unsubscribe. */
  follow(listener: (line: SpaceLogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
