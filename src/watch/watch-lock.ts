import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
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
  // First the socket: it cannot be deleted with the project's files (`rm -rf .bug-author`), and it
  // dies with its process, so a watcher whose lock file was removed still keeps the project.
  const held = await holdProjectSocket(file);
  if ('holder' in held) throw new WatchLockedError(file, held.holder, root);
  try {
    const legacy = legacyFile ? parseLock((await readFile(legacyFile, 'utf8').catch(() => '')) || '') : undefined;
    if (legacy && (await isHeldByLiveWatcher(legacy))) throw new WatchLockedError(legacyFile!, legacy.pid, legacy.root || root);
    const lock = await takeLock(file, root);
    return {
      ...lock,
      release: async () => {
        await lock.release();
        await held.release();
      },
    };
  } catch (err) {
    await held.release();
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof WatchLockedError || typeof code !== 'string') throw err;
    throw new WatchLockUnavailableError(file, `${code}: ${(err as Error).message.replace(/^\w+: /, '')}`);
  }
}

/**
 * Where the project's watcher listens: named after the lock file's path, outside the file system
 * where the platform allows (Linux's abstract sockets, Windows' pipes), else in the temp folder.
 */
function socketName(file: string): { name: string; onDisk: boolean } {
  const hash = createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 24);
  if (process.platform === 'linux') return { name: `\0bug-author-watch-${hash}`, onDisk: false };
  if (process.platform === 'win32') return { name: `\\\\?\\pipe\\bug-author-watch-${hash}`, onDisk: false };
  return { name: path.join(os.tmpdir(), `bug-author-watch-${hash}.sock`), onDisk: true };
}

/** Listens on the project's socket, or names the pid of the watcher that does. */
async function holdProjectSocket(file: string): Promise<{ release(): Promise<void> } | { holder: number }> {
  const { name, onDisk } = socketName(file);
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = net.createServer((socket) => socket.end(JSON.stringify({ pid: process.pid })));
    const listening = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(name, () => resolve(undefined));
    });
    if (!listening) {
      server.unref();
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    if (listening.code !== 'EADDRINUSE') return { release: async () => {} }; // no sockets here: the lock file alone decides
    const holder = await askHolder(name);
    if (holder !== undefined) return { holder };
    // A socket file left by a watcher that died (only where sockets live on disk): remove it, try again.
    if (onDisk) await rm(name, { force: true });
  }
  return { release: async () => {} };
}

/** The pid the watcher listening on `name` answers with; undefined when nobody answers. */
function askHolder(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(name);
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => void (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        const pid = (JSON.parse(text) as { pid?: unknown }).pid;
        resolve(typeof pid === 'number' ? pid : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
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
