import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Temp files written beside their target: `.<name>.<pid>.<random>.tmp`. The pid lets a later
 * process tell a dead writer's leftovers from a live one's; watchers ignore the pattern.
 */
export const TEMP_FILE_NAME = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

export function temporarySiblingOf(file: string, dir = path.dirname(file)): string {
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export interface AtomicWriteOptions {
  /** Where the temp file goes (same file system as the target); default: beside the target. */
  tempDir?: string;
}

/** A directory removed while we write into it (`rm -rf` of the cache mid-run) is made again this many times. */
const ATTEMPTS = 3;

/** Writes via a temp file and a rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const tempDir = options.tempDir ?? path.dirname(file);
  for (let attempt = 1; ; attempt++) {
    const temp = temporarySiblingOf(file, tempDir);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      if (tempDir !== path.dirname(file)) await mkdir(tempDir, { recursive: true });
      await writeFile(temp, content, 'utf8');
      await rename(temp, file);
      return;
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= ATTEMPTS) throw err;
    }
  }
}
