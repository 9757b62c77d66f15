import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { UsageError } from '../errors.js';
import { bugRefFor, type BugRef } from './bug-ref.js';

/**
 * The bugs of patch files named on a command line (relative to `base`): as discovery found them,
 * else described by the config's conventions. A name that is no file is a usage error.
 */
export function bugsForNamedPatches(command: string, names: readonly string[], base: string, known: readonly BugRef[], config: ResolvedConfig): BugRef[] {
  return names.map((name) => {
    const file = path.resolve(base, name);
    if (!existsSync(file)) throw new UsageError(`${command}: ${name}: no such patch file`);
    return known.find((b) => b.patchFile === file) ?? bugRefFor(file, config);
  });
}
