import type { Watcher } from '../api/create-watcher.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { ReviewStudio } from './review-studio.js';

/**
 * `watch --ui`: the page follows the daemon. Every rebuilt bug (and a deleted patch) refreshes
 * the rows; a reloaded config reloads the studio's project too.
 */
export function followWatcher(studio: ReviewStudio, watcher: Watcher, pythonOfProject: () => Promise<PythonRuntime>): void {
  watcher.on('outcome', () => void studio.refresh());
  watcher.on('ready', () => void studio.refresh());
  watcher.on('notice', (notice) => {
    if (notice.kind === 'config-reloaded') void pythonOfProject().then((python) => studio.reload(python), () => {});
    else if (notice.kind === 'orphan') void studio.refresh();
  });
}
