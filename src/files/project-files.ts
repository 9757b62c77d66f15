import { readFileSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';

/**
 * Where a bug's files are read from: the working tree, or (for `check --staged`) another
 * snapshot such as the git index. Paths are absolute.
 */
export interface ProjectFiles {
  /** The file's bytes, or undefined when there is no such file. */
  read(file: string): Promise<Uint8Array | undefined>;
  isFile(file: string): Promise<boolean>;
  /** The file's path with every symbolic link resolved; absent where links cannot occur (the git index stores a link as a link, never followed). */
  realPath?(file: string): Promise<string>;
  /** Real paths found so far, for one run (see containment): thousands of bugs share a few folders and one reference. */
  realDirs?: Map<string, string>;
}

/** The working tree for one run: the real paths of its folders are looked up once. */
export function workingTreeForOneRun(): ProjectFiles {
  return { ...workingTreeFiles, realDirs: new Map() };
}

/**
 * Synchronous reads on purpose: inputs are small, and a `check` of 1,000 bugs reads thousands of
 * them; through fs/promises each read is four thread-pool round trips, which doubled its time.
 */
export const workingTreeFiles: ProjectFiles = {
  async read(file) {
    try {
      return readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  async isFile(file) {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
  realPath: (file) => realpath(file),
};
