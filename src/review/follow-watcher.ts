import type { Watcher } from '../api/create-watcher.js';
import type { ReviewStudio } from './review-studio.js';

/**
 * `watch --ui`: the page follows the daemon. Every rebuilt bug (and a deleted patch) refreshes
 * the rows; so does a reloaded config (a bug accepted as patch-only, another Python) and a JSON
 * edited by hand (the daemon rebuilds nothing then, but says so).
 */
export function followWatcher(studio: ReviewStudio, watcher: Watcher): void {
  watcher.on('outcome', () => void studio.refresh());
  watcher.on('ready', () => void studio.refresh());
  watcher.on('notice', (notice) => {
    if (notice.kind === 'config-reloaded' || notice.kind === 'orphan' || notice.kind === 'output-changed') void studio.refresh();
  });
}
