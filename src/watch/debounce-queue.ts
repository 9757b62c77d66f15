export interface DebounceOptions {
  /** Flush once no item has arrived for this long. */
  quietMs: number;
  /** …but never hold the first item longer than this (a constant stream still gets processed). */
  maxWaitMs: number;
}

/**
 * Collects items and hands them over in one batch when the stream goes quiet: editors save
 * with several events (temp + rename, truncate + write), and a batch sees the settled state.
 */
export class DebounceQueue<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private firstAt = 0;
  private closed = false;

  constructor(
    private readonly options: DebounceOptions,
    private readonly flush: (items: T[]) => void,
  ) {}

  push(item: T): void {
    if (this.closed) return;
    const now = performance.now();
    if (this.items.length === 0) this.firstAt = now;
    this.items.push(item);
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.options.quietMs, this.firstAt + this.options.maxWaitMs - now));
    this.timer = setTimeout(() => this.release(), wait);
  }

  get pending(): number {
    return this.items.length;
  }

  /** Drops whatever is waiting; later pushes are ignored. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.items = [];
  }

  private release(): void {
    this.timer = undefined;
    const batch = this.items;
    this.items = [];
    if (batch.length) this.flush(batch);
  }
}
