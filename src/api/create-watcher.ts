import { EventEmitter } from 'node:events';
import { startWatcher, type RunningWatcher } from '../watch/watcher.js';
import type { WatchNotice, WatchOutcome, WatchReady } from '../contracts.js';
import { builtInGenerators } from './built-in-generators.js';
import type { ProjectRunOptions } from './run-options.js';

export interface WatcherOptions extends Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env' | 'signal' | 'reporters'> {
  /** Leave out every `kind: 'llm'` generator. */
  noLlm?: boolean;
  /** Per-request timeout of the built-in LLM generator, over the config's `llm.timeoutMs`. */
  llmTimeoutMs?: number;
  /** Poll the file system instead of native events (network drives). */
  poll?: boolean;
  pollIntervalMs?: number;
  /** Quiet period before a burst of file events is handled (default 80 ms). */
  debounceMs?: number;
  /** Reporters get `verbose: true`. */
  verbose?: boolean;
}

/** The events a watcher emits, with their payloads. */
export interface WatcherEvents {
  /** A bug was built (initial pass, a saved file, a config reload). */
  outcome: [WatchOutcome];
  /** Everything else: orphans, config reloads and errors, engine reloads, warnings… */
  notice: [WatchNotice];
  /** The initial pass is done. */
  ready: [WatchReady];
  /** The watcher has stopped (close() or the signal). */
  close: [];
}

/** A running authoring daemon: typed events, and close(). */
export interface Watcher extends EventEmitter<WatcherEvents> {
  /** Absolute project root. */
  readonly root: string;
  /** The project's watch lock (one watcher per project). */
  readonly lockFile: string;
  /** Resolves after the initial pass. */
  readonly ready: Promise<WatchReady>;
  /** Resolves once the watcher has stopped. */
  readonly closed: Promise<void>;
  /** Cancels running builds, waits for them, stops watching, releases the lock. */
  close(): Promise<void>;
  /** Which Python served and why, and what the engine judge did, as things stand. */
  pythonReport(): string[];
}

/**
 * Starts the authoring daemon `bug-author watch` runs: takes the project's watch lock (a
 * WatchLockedError when another watcher holds it), brings every JSON up to date and rebuilds
 * the affected bugs on every save. Events from the start (a recovered lock, orphans found) are
 * delivered once the returned promise has resolved, so listeners added right away see them all.
 */
export async function createWatcher(options: WatcherOptions = {}): Promise<Watcher> {
  const emitter = new EventEmitter<WatcherEvents>();
  // Held back until the caller has had the watcher (one turn of the event loop), then live.
  let held: (() => void)[] | undefined = [];
  const emit = (deliver: () => void) => (held ? held.push(deliver) : deliverOutside(deliver));
  const running = await startWatcher({
    cwd: options.cwd ?? process.cwd(),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    noLlm: options.noLlm === true,
    ...(options.llmTimeoutMs !== undefined ? { llmTimeoutMs: options.llmTimeoutMs } : {}),
    env: options.env ?? process.env,
    ...(options.poll ? { poll: true } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    reporters: options.reporters ?? [],
    verbose: options.verbose === true,
    builtInGenerators,
    onOutcome: (event) => emit(() => emitter.emit('outcome', event)),
    onNotice: (notice) => emit(() => emitter.emit('notice', notice)),
  });
  // The promises settle in line with the events: once `ready` resolves, every initial outcome has been delivered.
  const ready = new Promise<WatchReady>((resolve, reject) => {
    running.ready.then(
      (value) =>
        emit(() => {
          resolve(value);
          emitter.emit('ready', value);
        }),
      reject,
    );
  });
  ready.catch(() => {}); // awaited or not, as the caller likes
  const closed = new Promise<void>((resolve) => {
    void running.closed.then(() =>
      emit(() => {
        resolve();
        emitter.emit('close');
      }),
    );
  });
  setImmediate(() => {
    const pending = held ?? [];
    held = undefined;
    for (const deliver of pending) deliverOutside(deliver);
  });
  return Object.assign(emitter, watcherHandle(running, ready, closed));
}

function watcherHandle(running: RunningWatcher, ready: Promise<WatchReady>, closed: Promise<void>): Omit<Watcher, keyof EventEmitter> {
  return {
    root: running.root,
    lockFile: running.lockFile,
    ready,
    closed,
    close: async () => {
      await running.close();
      await closed;
    },
    pythonReport: () => running.pythonReport(),
  };
}

/** A listener that throws is the caller's error, not the daemon's: it surfaces as an uncaught exception. */
function deliverOutside(deliver: () => void): void {
  try {
    deliver();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
