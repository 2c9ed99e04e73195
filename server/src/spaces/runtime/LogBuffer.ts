import type { SpaceLogLine } from '@atrium/protocol';

/** A bounded log (build or run) that late readers replay and live readers follow. */
export class LogBuffer {
  private lines: SpaceLogLine[] = [];
  private readonly listeners = new Set<(line: SpaceLogLine) => void>();

  constructor(private readonly max = 2000) {}

  /** Appends one line per line of `text` (a trailing newline adds nothing). */
  write(text: string): void {
    for (const data of text.replace(/\n$/, '').split('\n')) {
      const line = { data, timestamp: new Date().toISOString() };
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
      for (const l of this.listeners) l(line);
    }
  }

  /** A new build or run starts: readers keep following, the history restarts. */
  clear(): void {
    this.lines = [];
  }

  history(): readonly SpaceLogLine[] {
    return this.lines;
  }

  /** Follows new lines; returns the unsubscribe. */
  follow(listener: (line: SpaceLogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
