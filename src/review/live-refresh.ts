import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { stateDir } from '../config/resolved-config.js';
import { startFileWatcher, type FileWatcher } from '../watch/file-watcher.js';
import { TEMP_FILE_NAME } from '../write/atomic-write.js';

/** How long saves may keep coming before the page is brought up to date. */
const QUIET_MS = 60;

/**
 * For `bug-author review` on its own: any save under the project root (a patch, a symptom, a
 * reference, a JSON another process rebuilt) refreshes the page. (`watch --ui` follows the
 * daemon's events instead: see follow-watcher.ts.)
 */
export async function refreshOnSave(config: ResolvedConfig, refresh: () => void, onError: (err: Error) => void): Promise<FileWatcher> {
  const skipped = [stateDir(config.root), config.cacheDir];
  let timer: NodeJS.Timeout | undefined;
  return startFileWatcher({
    root: config.root,
    ignored: (file) => {
      const base = path.basename(file);
      return base === 'node_modules' || base === '.git' || TEMP_FILE_NAME.test(base) || skipped.some((dir) => file === dir || file.startsWith(`${dir}${path.sep}`));
    },
    onEvent: () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, QUIET_MS);
    },
    onError,
  });
}
