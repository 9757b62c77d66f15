import type { PythonRuntime } from '../python/runtime.js';

/** A runtime that remembers whether this run asked for Python (the process may share one that is already loaded). */
export function trackPythonUse(runtime: PythonRuntime): PythonRuntime & { readonly used: boolean } {
  let used = false;
  return {
    get loaded() {
      return runtime.loaded;
    },
    get used() {
      return used;
    },
    bridge() {
      used = true;
      return runtime.bridge();
    },
  };
}
