import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../write/atomic-write.js';

/**
 * A content-addressed JSON store: `<dir>/<namespace>/<key[0..2]>/<key>.json`.
 * Entries are self-checking (they repeat their key); unreadable or mismatching entries are misses.
 */
export interface ContentCache {
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  put<T>(namespace: string, key: string, value: T): Promise<void>;
}

export function createContentCache(dir: string): ContentCache {
  const fileFor = (namespace: string, key: string) => path.join(dir, namespace, key.slice(0, 2), `${key}.json`);
  return {
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
      await writeFileAtomic(fileFor(namespace, key), JSON.stringify({ key, value }));
    },
  };
}
