import type { Watcher } from '../api/create-watcher.js';
import type { Project } from '../project/load-project.js';
import type { ReviewStudio } from './review-studio.js';

/**
 * `watch --ui`: the page follows the daemon. Every rebuilt bug (and a deleted patch) refreshes
 * the rows; a reloaded config reloads the studio's project too.
 */
export function followWatcher(studio: ReviewStudio, watcher: Watcher, loadProject: () => Promise<Pick<Project, 'config' | 'python' | 'engine'>>): void {
  watcher.on('outcome', () => void studio.refresh());
  watcher.on('ready', () => void studio.refresh());
  watcher.on('notice', (notice) => {
    if (notice.kind === 'config-reloaded') void loadProject().then((project) => studio.reload(project), () => {});
    else if (notice.kind === 'orphan') void studio.refresh();
  });
}
