import { faultOf, type PluginFault } from './plugin-errors.js';

export type Settled<T> =
  | { state: 'done'; value: T }
  /** The call threw or rejected. */
  | { state: 'threw'; fault: PluginFault }
  | { state: 'timed-out'; timeoutMs: number }
  /** The run's signal fired first. */
  | { state: 'cancelled' };

export interface BoundOptions {
  /** Give up after this long (the call's own signal fires then); none when undefined. */
  timeoutMs?: number;
  /** The run's signal: give up as soon as it fires. */
  signal?: AbortSignal;
}

/**
 * Calls into plugin code so that nothing it does can stop the run: a throw, a rejection, a
 * promise that never settles. The call gets a signal that fires on timeout or cancellation;
 * a call that ignores it is left behind, its eventual result dropped.
 */
export async function boundedCall<T>(call: (signal: AbortSignal) => T | Promise<T>, options: BoundOptions = {}): Promise<Settled<T>> {
  if (options.signal?.aborted) return { state: 'cancelled' };
  const own = new AbortController();
  const signal = options.signal ? AbortSignal.any([own.signal, options.signal]) : own.signal;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stops = new Promise<Settled<T>>((resolve) => {
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      timer = setTimeout(() => {
        own.abort(new Error(`timed out after ${timeoutMs} ms`));
        resolve({ state: 'timed-out', timeoutMs });
      }, timeoutMs);
    }
    if (options.signal) {
      onAbort = () => resolve({ state: 'cancelled' });
      options.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  const work = (async (): Promise<Settled<T>> => {
    try {
      return { state: 'done', value: await call(signal) };
    } catch (err) {
      return { state: 'threw', fault: faultOf(err) };
    }
  })();
  try {
    return await Promise.race([work, stops]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}
