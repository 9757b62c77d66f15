import type { WatchOutcome } from '../contracts.js';
import { startWatcher, type WatchOptions } from './watcher.js';

export interface SaveLatencyOptions extends Omit<WatchOptions, 'onOutcome' | 'signal'> {
  /** How many saves to make, one after the other. */
  saves: number;
  /** Makes save number `i` (each should change some bug's inputs). */
  save(i: number): void | Promise<void>;
  /** Give up on a save after this long (default 30 s). */
  timeoutMs?: number;
  /** Sample process RSS after these save counts (e.g. [20, 200]). */
  rssAfter?: readonly number[];
}

export interface SaveLatency {
  /** Save → JSON written, per save (ms), debounce included. */
  latenciesMs: number[];
  p50: number;
  p95: number;
  /** RSS in bytes after the requested save counts. */
  rss: { saves: number; bytes: number }[];
  /** Milliseconds to start and finish the initial pass. */
  readyMs: number;
}

/**
 * For `npm run bench`: starts a watcher, makes `saves` saves one at a time, and reads each
 * save's latency from the daemon's own timing (first file event → outcome reported).
 */
export async function measureSaveLatency(options: SaveLatencyOptions): Promise<SaveLatency> {
  let waiting: ((event: WatchOutcome) => void) | undefined;
  const started = performance.now();
  const watcher = await startWatcher({
    ...options,
    onOutcome: (event) => {
      if (event.trigger === 'change') waiting?.(event);
    },
  });
  try {
    await watcher.ready;
    const readyMs = Math.round(performance.now() - started);
    const latenciesMs: number[] = [];
    const rss: { saves: number; bytes: number }[] = [];
    for (let i = 0; i < options.saves; i++) {
      const outcome = new Promise<WatchOutcome>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`save ${i}: no outcome within ${options.timeoutMs ?? 30000} ms`)), options.timeoutMs ?? 30000);
        waiting = (event) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(event);
        };
      });
      await options.save(i);
      const event = await outcome;
      latenciesMs.push(event.latencyMs ?? Number.NaN);
      if (options.rssAfter?.includes(i + 1)) {
        global.gc?.();
        rss.push({ saves: i + 1, bytes: process.memoryUsage().rss });
      }
    }
    return { latenciesMs, p50: percentile(latenciesMs, 50), p95: percentile(latenciesMs, 95), rss, readyMs };
  } finally {
    await watcher.close();
  }
}

/** The p-th percentile (nearest rank); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
