import { PythonWorkerError } from './python-errors.js';
import { withBridge, type PythonBridge, type PythonRuntime } from './runtime.js';

export interface WatchedRuntime {
  /** The same runtime, seen through calls that record worker failures. */
  python: PythonRuntime;
  /** The first PythonWorkerError one of its calls met (a generator may have swallowed it). */
  failure(): PythonWorkerError | undefined;
}

/**
 * For one bug: whether any of its Python calls failed because the worker died, so that its
 * outcome says so and nothing computed around the failure is cached.
 */
export function watchWorkerFailures(runtime: PythonRuntime): WatchedRuntime {
  let failure: PythonWorkerError | undefined;
  let watched: Promise<PythonBridge> | undefined;
  const record = (err: unknown): never => {
    if (err instanceof PythonWorkerError) failure ??= err;
    throw err;
  };
  const wrap = (bridge: PythonBridge): PythonBridge =>
    Object.fromEntries(
      Object.entries(bridge).map(([name, fn]: [string, (...args: unknown[]) => Promise<string>]) => [name, (...args: unknown[]) => fn(...args).catch(record)]),
    ) as unknown as PythonBridge;
  return {
    python: withBridge(runtime, () => (watched ??= runtime.bridge().then(wrap, record))),
    failure: () => failure,
  };
}
