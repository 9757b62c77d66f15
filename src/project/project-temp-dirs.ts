import path from 'node:path';
import { cacheTempDir } from '../cache/content-cache.js';
import { compiledConfigDir } from '../config/compile-config.js';
import { stateDir, type ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../contracts.js';

/**
 * Every directory bug-author writes temp files in for a project: beside each output (JSON and
 * drafts), the cache's temp directory, the state directory (watch lock) and the compiled config's.
 */
export function projectTempDirs(config: ResolvedConfig, bugs: readonly BugRef[]): string[] {
  return [
    ...bugs.map((bug) => path.dirname(bug.outputFile)),
    cacheTempDir(config.cacheDir),
    stateDir(config.root),
    ...(config.file ? [compiledConfigDir(config.file)] : []),
  ];
}
