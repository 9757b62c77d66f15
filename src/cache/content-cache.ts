import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../write/atomic-write.js';
import { describeWriteError } from '../write/describe-write-error.js';
import type { CacheWriteProblem } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { CacheWriteProblem } from '../contracts.js';

export interface ContentCache {
  readonly dir: string;
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  /** Stores the entry unless the same entry is already there (an unchanged run writes nothing). */
  put<T>(namespace: string, key: string, value: T): Promise<void>;
  /** The first write that failed, if any. */
  writeProblem(): CacheWriteProblem | undefined;
}

/** Temp files of cache writes, in one directory so that sweeping them costs one readdir. */
export function cacheTempDir(dir: string): string {
  return path.join(dir, 'tmp');
}

export function createContentCache(dir: string): ContentCache {
  const fileFor = (namespace: string, key: string) => path.join(dir, namespace, key.slice(0, 2), `${key}.json`);
  let problem: CacheWriteProblem | undefined;
  return {
    dir,
    async get<T>(namespace: string, key: string): Promise<T | undefined> {
      let text: string;
      try {
        // Synchronous: small files, read by the thousand in a `check` (see workingTreeFiles).
        text = readFileSync(fileFor(namespace, key), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const entry = JSON.parse(text) as { key?: string; value?: T };
        return entry.key === key && entry.value !== undefined ? entry.value : undefined;
      } catch {
        return undefined;
      }
    },
    async put<T>(namespace: string, key: string, value: T): Promise<void> {
      if (problem) return;
      const file = fileFor(namespace, key);
      const text = JSON.stringify({ key, value });
      if (readIfPresent(file) === text) return;
      try {
        await writeFileAtomic(file, text, { tempDir: cacheTempDir(dir) });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problem ??= { dir, ...(code ? { code } : {}), reason: describeWriteError(err) };
      }
    },
    writeProblem: () => problem,
  };
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
