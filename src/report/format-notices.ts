import path from 'node:path';
import { relativeToRoot } from '../discover/bug-ref.js';
import type { CacheWriteProblem, RunNotice } from '../contracts.js';

/** Said once per run: the cache is an optimisation, its failure is not the run's. */
export function formatCacheWriteProblem(problem: CacheWriteProblem, root: string): string {
  const dir = relativeToRoot({ root }, problem.dir) || problem.dir;
  return `bug-author: could not write the cache ${dir} (${problem.reason}${problem.code ? `, ${problem.code}` : ''}); this run's results were not cached, so the next run repeats the work`;
}

/** `files` absolute, or relative to `root`. */
export function formatTempFilesRemoved(files: readonly string[], root: string): string {
  const shown = files.slice(0, 3).map((f) => relativeToRoot({ root }, path.resolve(root, f)));
  return `bug-author: removed ${files.length} temp file${files.length === 1 ? '' : 's'} left by an interrupted run (${shown.join(', ')}${files.length > 3 ? ', …' : ''})`;
}

/** A build's or check's notice as the CLI prints it on stderr. */
export function formatRunNotice(notice: RunNotice, command: string): string {
  switch (notice.kind) {
    case 'no-bugs':
      return `No patches found under ${notice.root} matching ${notice.globs.join(', ')}.`;
    case 'temp-files-removed':
      return formatTempFilesRemoved(notice.files, notice.root);
    case 'cache-unwritable':
      return formatCacheWriteProblem(notice.problem, notice.root);
    case 'warning':
      return `bug-author ${command}: ${notice.message}`;
    case 'repair':
      return notice.message;
  }
}
