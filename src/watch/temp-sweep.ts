import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_FILE_NAME } from '../write/atomic-write.js';
import { isProcessAlive } from './process-alive.js';

/**
 * Removes temp files that a killed process (SIGKILL, power loss) left behind next to its
 * outputs. A live process's temp files are left alone: it is about to rename them.
 */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const match = TEMP_FILE_NAME.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      if (pid === process.pid || isProcessAlive(pid)) continue;
      const file = path.join(dir, name);
      await rm(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}
