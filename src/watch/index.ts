export { startWatcher, DEFAULT_DEBOUNCE_MS, type RunningWatcher, type WatchOptions } from './watcher.js';
export type { WatchNotice, WatchOutcome, WatchReady } from './watch-events.js';
export { WatchLockedError } from './watch-lock.js';
export { measureSaveLatency, type SaveLatency, type SaveLatencyOptions } from './measure-watch.js';
