import { readFile, stat } from 'node:fs/promises';

/**
 * Where a bug's files are read from: the working tree, or (for `check --staged`) another
 * snapshot such as the git index. Paths are absolute.
 */
export interface ProjectFiles {
  /** The file's bytes, or undefined when there is no such file. */
  read(file: string): Promise<Uint8Array | undefined>;
  isFile(file: string): Promise<boolean>;
}

export const workingTreeFiles: ProjectFiles = {
  async read(file) {
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  async isFile(file) {
    try {
      return (await stat(file)).isFile();
    } catch {
      return false;
    }
  },
};
