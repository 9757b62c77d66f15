export interface DebounceOptions {
  /** Flush once no item has arrived for this long. */
  quietMs: number;
  /** …but never hold the first item longer than this (a constant stream still gets processed). */
  maxWaitMs: number;
  /** Where time comes from (default the real one); tests pass a clock they move by hand. */
  clock?: Clock;
}

/** The time a debounce waits on: `now()` in milliseconds, and one-shot timers. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/**
 * Collects items and hands them over in one batch when the stream goes quiet: editors save
 * with several events (temp + rename, truncate + write), and a batch sees the settled state.
 */
export class DebounceQueue<T> {
  private items: T[] = [];
  private timer: unknown;
  private firstAt = 0;
  private closed = false;
  private readonly clock: Clock;

  constructor(
    private readonly options: DebounceOptions,
    private readonly flush: (items: T[]) => void,
  ) {
    this.clock = options.clock ?? realClock;
  }

  push(item: T): void {
    if (this.closed) return;
    const now = this.clock.now();
    if (this.items.length === 0) this.firstAt = now;
    this.items.push(item);
    this.clock.clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.options.quietMs, this.firstAt + this.options.maxWaitMs - now));
    this.timer = this.clock.setTimeout(() => this.release(), wait);
  }

  get pending(): number {
    return this.items.length;
  }

  /** Drops whatever is waiting; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.items = [];
  }

  private release(): void {
    this.timer = undefined;
    const batch = this.items;
    this.items = [];
    if (batch.length) this.flush(batch);
  }
}
