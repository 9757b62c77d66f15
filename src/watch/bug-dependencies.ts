import { contentHash } from '../cache/hash.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';

export interface BugDependencies {
  /** Every file reading the bug's inputs looked at, existing or not (absolute paths). */
  files: string[];
  /** A hash of what those files held: the same key means the same inputs. */
  key: string;
  /** Reading stopped at a bad input, so `files` may be incomplete. */
  incomplete: boolean;
}

/**
 * Which files a bug depends on, found by reading its inputs exactly as a build does and
 * recording every file touched: the patch, the symptom candidates probed, every reference
 * candidate tried. A file that does not exist yet is a dependency too (creating it matters).
 */
export async function readBugDependencies(bug: BugRef, config: ResolvedConfig, files: ProjectFiles = workingTreeFiles): Promise<BugDependencies> {
  const seen = new Map<string, string>();
  const recording: ProjectFiles = {
    async read(file) {
      const bytes = await files.read(file);
      seen.set(file, bytes === undefined ? 'missing' : contentHash(bytes));
      return bytes;
    },
    async isFile(file) {
      const exists = await files.isFile(file);
      if (!seen.has(file)) seen.set(file, exists ? 'file' : 'no-file');
      return exists;
    },
    ...(files.realPath ? { realPath: files.realPath } : {}),
  };
  let incomplete = false;
  try {
    await readBugInputs(bug, config, recording);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    incomplete = true;
  }
  if (!seen.has(bug.patchFile)) seen.set(bug.patchFile, 'missing');
  return { files: [...seen.keys()], key: contentHash(...[...seen].flat()), incomplete };
}
