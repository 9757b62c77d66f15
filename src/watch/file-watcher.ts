import { watch, type FSWatcher } from 'chokidar';

export type FileEventKind = 'add' | 'change' | 'unlink';

export interface FileEvent {
  kind: FileEventKind;
  /** Absolute path. */
  path: string;
  /** performance.now() when the event arrived. */
  at: number;
}

export interface FileWatcherOptions {
  root: string;
  ignored: (file: string) => boolean;
  /** Poll instead of native events (network drives). */
  poll?: boolean;
  pollIntervalMs?: number;
  onEvent: (event: FileEvent) => void;
  onError: (error: Error) => void;
}

export interface FileWatcher {
  /** Start watching more paths (e.g. the directory of a newly found dependency). */
  add(paths: string[]): void;
  close(): Promise<void>;
}

/** chokidar over the project root; resolves once the initial scan is done and events are live. */
export async function startFileWatcher(options: FileWatcherOptions): Promise<FileWatcher> {
  const watcher: FSWatcher = watch(options.root, {
    ignored: (file: string) => options.ignored(file),
    ignoreInitial: true,
    persistent: true,
    usePolling: options.poll === true,
    interval: options.pollIntervalMs ?? 100,
    binaryInterval: options.pollIntervalMs ?? 300,
  });
  const forward = (kind: FileEventKind) => (file: string) => options.onEvent({ kind, path: file, at: performance.now() });
  watcher.on('add', forward('add'));
  watcher.on('change', forward('change'));
  watcher.on('unlink', forward('unlink'));
  watcher.on('error', (err) => options.onError(explain(err)));
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });
  return {
    add: (paths) => void watcher.add(paths),
    close: () => watcher.close(),
  };
}

function explain(err: unknown): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
    error.message += ' — the system limit on watched files is reached: raise fs.inotify.max_user_watches, or run with --poll';
  }
  return error;
}
