import { withBridge, type PythonRuntime } from '../python/runtime.js';

/** A runtime that remembers whether this run asked for Python (the process may share one that is already loaded). */
export function trackPythonUse(runtime: PythonRuntime): PythonRuntime & { readonly used: boolean } {
  let used = false;
  const tracked = withBridge(runtime, () => {
    used = true;
    return runtime.bridge();
  });
  return Object.defineProperty(tracked, 'used', { get: () => used }) as PythonRuntime & { readonly used: boolean };
}
