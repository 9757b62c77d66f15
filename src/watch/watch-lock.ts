import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporarySiblingOf } from '../write/atomic-write.js';
import { isProcessAlive } from './process-alive.js';

export const LOCK_FILE_NAME = 'watch.lock';

interface LockContent {
  pid: number;
  token: string;
  root: string;
  started: string;
}

/** Another live watcher holds the project: exit 2 with its pid. */
export class WatchLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
    readonly root: string,
  ) {
    super(`another \`bug-author watch\` (pid ${pid}) is already watching ${root} (lock ${lockFile})`);
    this.name = 'WatchLockedError';
  }
}

export interface WatchLock {
  file: string;
  /** The pid of a dead watcher whose lock was taken over, if any. */
  recoveredFrom?: number;
  release(): Promise<void>;
}

/**
 * One watcher per project: an exclusive-create lock file holding our pid. A lock whose pid
 * no longer runs (a killed daemon) or that cannot be read is stale and taken over.
 */
export async function acquireWatchLock(file: string, root: string): Promise<WatchLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const content: LockContent = { pid: process.pid, token: randomBytes(8).toString('hex'), root, started: new Date().toISOString() };
  const text = `${JSON.stringify(content)}\n`;
  let recoveredFrom: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createWithContent(file, text)) {
      return {
        file,
        ...(recoveredFrom !== undefined ? { recoveredFrom } : {}),
        release: () => releaseLock(file, content.token),
      };
    }
    const existingText = await readFile(file, 'utf8').catch(() => undefined);
    if (existingText === undefined) continue; // removed meanwhile: try again
    const existing = parseLock(existingText);
    if (existing && isProcessAlive(existing.pid)) throw new WatchLockedError(file, existing.pid, existing.root || root);
    // Stale. Remove it only if it is still the very file we judged, so that two recovering
    // watchers cannot delete each other's fresh lock.
    const again = await readFile(file, 'utf8').catch(() => undefined);
    if (again === existingText) {
      await rm(file, { force: true });
      if (existing) recoveredFrom = existing.pid;
    }
  }
  throw new Error(`cannot acquire the watch lock ${file}`);
}

/** Creates `file` already holding `text` (temp file + hard link), or returns false when it exists. */
async function createWithContent(file: string, text: string): Promise<boolean> {
  // A half-written lock would look stale to a concurrent watcher; a link appears complete.
  const temp = temporarySiblingOf(file);
  await writeFile(temp, text, 'utf8');
  try {
    await link(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusive(file, text);
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

/** For file systems without hard links (some network drives). */
async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    await writeFile(file, text, { encoding: 'utf8', flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    return typeof value.pid === 'number' ? { pid: value.pid, token: String(value.token ?? ''), root: String(value.root ?? ''), started: String(value.started ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

async function releaseLock(file: string, token: string): Promise<void> {
  const current = parseLock((await readFile(file, 'utf8').catch(() => '')) || '');
  if (current?.token === token) await rm(file, { force: true });
}
