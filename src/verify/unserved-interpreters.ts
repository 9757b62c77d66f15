import type { ContentCache } from '../cache/content-cache.js';
import { contentHash } from '../cache/hash.js';
import { packageVersion } from '../package-root.js';
import { interpreterIdentity } from '../python/python-choice.js';
import type { UnservedInterpreters } from '../python/runtime.js';

export type { UnservedInterpreters } from '../python/runtime.js';

const NAMESPACE = 'python-unserved';

function keyOf(executable: string): string | undefined {
  const identity = interpreterIdentity(executable);
  return identity ? contentHash(NAMESPACE, packageVersion, identity) : undefined;
}

/**
 * Interpreters that could not serve when last started (too old, broken, or never answering), by
 * the identity of their file, in the project's cache: the next run goes to pyodide at once instead
 * of paying for the same failure again (a wrapper that hangs would cost its whole start-up timeout
 * on every run), and has no engine judge. Tried again once the interpreter file changes.
 */
export function unservedInterpreters(cache: ContentCache): UnservedInterpreters {
  return {
    async reason(executable) {
      const key = keyOf(executable);
      const entry = key ? await cache.get<{ reason?: unknown }>(NAMESPACE, key) : undefined;
      return typeof entry?.reason === 'string' ? entry.reason : undefined;
    },
    async record(executable, reason) {
      const key = keyOf(executable);
      if (key) await cache.put(NAMESPACE, key, { reason });
    },
  };
}
