import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '../config/resolved-config.js';
import { isProcessAlive } from '../process/process-alive.js';
import { readProcCommandLine } from '../process/proc-stat.js';
import { processStartTime } from '../process/process-start-time.js';
import { temporarySiblingOf } from '../write/atomic-write.js';

/**
 * The project's watch lock: `<root>/.bug-author/watch.lock`, outside the cache directory, so
 * that wiping the cache (`rm -rf .bug-author/cache`) cannot let a second watcher start.
 */
export function watchLockFile(root: string): string {
  return path.join(stateDir(root), 'watch.lock');
}

interface LockContent {
  pid: number;
  token: string;
  root: string;
  started: string;
  /** The holder's process start time (see processStartTime): a reused pid does not match it. */
  processStart?: string;
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

/** The lock file cannot be created (a read-only project, a file in the way): exit 2 with the reason. */
export class WatchLockUnavailableError extends Error {
  constructor(
    readonly lockFile: string,
    readonly reason: string,
  ) {
    super(`cannot create the watch lock ${lockFile}: ${reason}`);
    this.name = 'WatchLockUnavailableError';
  }
}

export interface WatchLock {
  file: string;
  /** The pid of a dead watcher whose lock was taken over, if any. */
  recoveredFrom?: number;
  release(): Promise<void>;
}

/** Where versions before `.bug-author/watch.lock` kept the lock: a watcher of such a version may still run. */
export function legacyWatchLockFile(cacheDir: string): string {
  return path.join(cacheDir, 'watch.lock');
}

/**
 * One watcher per project: an exclusive-create lock file holding our pid and process start
 * time. A lock is stale, and taken over, when it cannot be read, when its pid no longer runs
 * (a killed daemon), or when that pid now belongs to another process (see isHeldByLiveWatcher).
 * A live older watcher's lock at `legacyFile` refuses the project too (it is never removed here).
 */
export async function acquireWatchLock(file: string, root: string, legacyFile?: string): Promise<WatchLock> {
  try {
    const legacy = legacyFile ? parseLock((await readFile(legacyFile, 'utf8').catch(() => '')) || '') : undefined;
    if (legacy && (await isHeldByLiveWatcher(legacy))) throw new WatchLockedError(legacyFile!, legacy.pid, legacy.root || root);
    return await takeLock(file, root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof WatchLockedError || typeof code !== 'string') throw err;
    throw new WatchLockUnavailableError(file, `${code}: ${(err as Error).message.replace(/^\w+: /, '')}`);
  }
}

async function takeLock(file: string, root: string): Promise<WatchLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const processStart = await processStartTime(process.pid);
  const content: LockContent = {
    pid: process.pid,
    token: randomBytes(8).toString('hex'),
    root,
    started: new Date().toISOString(),
    ...(processStart ? { processStart } : {}),
  };
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
    if (existing && (await isHeldByLiveWatcher(existing))) throw new WatchLockedError(file, existing.pid, existing.root || root);
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

/**
 * Whether the process named in a lock is still the watcher that wrote it: alive, and with the
 * recorded start time (else the pid was reused by an unrelated process). A lock without a start
 * time (older versions' locks, at the legacy path) counts only while that process's command line
 * names bug-author.
 * When the platform answers neither question, a live pid is trusted.
 */
async function isHeldByLiveWatcher(lock: LockContent): Promise<boolean> {
  if (!isProcessAlive(lock.pid)) return false;
  if (lock.processStart) {
    const current = await processStartTime(lock.pid);
    return current === undefined ? isProcessAlive(lock.pid) : current === lock.processStart;
  }
  const commandLine = readProcCommandLine(lock.pid);
  return commandLine === undefined || commandLine.includes('bug-author');
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
    if (typeof value.pid !== 'number') return undefined;
    return {
      pid: value.pid,
      token: String(value.token ?? ''),
      root: String(value.root ?? ''),
      started: String(value.started ?? ''),
      ...(typeof value.processStart === 'string' && value.processStart ? { processStart: value.processStart } : {}),
    };
  } catch {
    return undefined;
  }
}

async function releaseLock(file: string, token: string): Promise<void> {
  const current = parseLock((await readFile(file, 'utf8').catch(() => '')) || '');
  if (current?.token === token) await rm(file, { force: true });
}
