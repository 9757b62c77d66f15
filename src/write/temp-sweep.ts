import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../process/process-alive.js';
import { TEMP_FILE_NAME } from './atomic-write.js';

/**
 * No write takes this long: an older temp file is a leftover even when its pid runs again
 * (pids are reused, and in a container every run may get the same one).
 */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;

/**
 * Removes temp files that a killed process (SIGKILL, power loss) left behind next to its
 * outputs. A live process's recent temp files are left alone: it is about to rename them.
 * Never throws: a directory that cannot be read or a file that cannot be removed is skipped.
 */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<string[]> {
  const removed = await Promise.all([...new Set(dirs)].map((dir) => sweepDir(dir)));
  return removed.flat();
}

async function sweepDir(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE_NAME.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    if (!(await isLeftover(file, Number(match[1])))) continue;
    try {
      await rm(file, { force: true });
      removed.push(file);
    } catch {
      // Not ours to remove (a read-only directory): harmless, it is ignored everywhere.
    }
  }
  return removed;
}

async function isLeftover(file: string, pid: number): Promise<boolean> {
  const writerGone = pid !== process.pid && !isProcessAlive(pid);
  if (writerGone) return true;
  const modified = await stat(file).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  return modified !== undefined && Date.now() - modified > ABANDONED_AFTER_MS;
}
