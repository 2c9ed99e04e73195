/** What a warm pool needs to know about the sandboxes it keeps. */
export interface WarmPoolOptions<T> {
  /** How many to keep waiting (read on every fill: a setting may change). */
  size: () => number;
  /** Whether one can be started now (e.g. its image exists); a fill stops when it cannot. */
  canLaunch: () => boolean;
  /** Starts one, ready to be handed out. */
  launch: () => Promise<T>;
  /** A pooled one that died while waiting is never handed out. */
  alive: (item: T) => boolean;
  /** Ends one the pool will not hand out (dead, or started after the pool closed). */
  discard: (item: T) => Promise<void>;
  onFillError: (err: unknown) => void;
}

/**
 * Sandboxes started ahead of need, so a kernel or a Space app skips the container start. One
 * implementation for every kind (Node and Python kernels, Space apps): filled one at a time (they
 * are cheap, the CPU is not), never handing out a dead one, emptied on close.
 */
export class WarmPool<T> {
  private readonly items: T[] = [];
  private filling: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions<T>) {}

  get length(): number {
    return this.items.length;
  }

  /** Starts sandboxes until the pool is full; one fill at a time, the same promise to every caller. */
  fill(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.filling ??= (async () => {
      // Yield first: a fill with nothing to do would otherwise clear `filling` before `??=` stores
      // it, leaving a settled promise that every later fill returns without filling.
      await null;
      try {
        // A dead one waiting (an app sandbox has no death watch to take it out) must not hold its slot.
        this.discardDead();
        while (!this.closed && this.items.length < this.options.size() && this.options.canLaunch()) {
          const item = await this.options.launch();
          if (this.closed) {
            await this.options.discard(item);
            break;
          }
          this.items.push(item);
        }
      } catch (err) {
        this.options.onFillError(err);
      } finally {
        this.filling = null;
      }
    })();
    return this.filling;
  }

  private discardDead(): void {
    for (const item of this.items.filter((i) => !this.options.alive(i))) {
      this.remove(item);
      void this.options.discard(item).catch(() => {});
    }
  }

  /** The oldest live one, or undefined; dead ones met on the way are discarded. */
  take(): T | undefined {
    while (this.items.length > 0) {
      const candidate = this.items.shift() as T;
      if (this.options.alive(candidate)) return candidate;
      void this.options.discard(candidate).catch(() => {});
    }
    return undefined;
  }

  /** The pooled item that matches, without taking it. */
  find(matches: (item: T) => boolean): T | undefined {
    return this.items.find(matches);
  }

  /** Takes this item out of the pool (it died or broke while waiting); false when it was not there. */
  remove(item: T): boolean {
    const index = this.items.indexOf(item);
    if (index === -1) return false;
    this.items.splice(index, 1);
    return true;
  }

  /** Stops filling and hands back whatever was waiting, for the caller to end. */
  async close(): Promise<T[]> {
    this.closed = true;
    await this.filling;
    return this.items.splice(0);
  }
}
