import path from 'node:path';
import { formatOutcomeLine } from '../report/format-build-report.js';
import type { WatchNotice, WatchOutcome, WatchReady } from '../contracts.js';

/**
 * The line for one finished build, or undefined when it is not worth a line: during the
 * initial pass and after a config reload, bugs that were already up to date stay silent.
 */
export function formatWatchOutcome(event: WatchOutcome, options: { quiet?: boolean; now?: Date } = {}): string | undefined {
  const { outcome } = event;
  if (event.trigger !== 'change') {
    if (outcome.status === 'up-to-date') return undefined;
    if (options.quiet && outcome.status === 'manual' && outcome.verdict === 'exact') return undefined;
    return formatOutcomeLine(outcome);
  }
  return `${clock(options.now ?? new Date())} ${formatOutcomeLine(outcome)}`;
}

export function formatReadyLines(ready: WatchReady): string {
  const seconds = ready.ms < 1000 ? `${ready.ms} ms` : `${(ready.ms / 1000).toFixed(1)} s`;
  const counts = `${ready.built} built, ${ready.upToDate} up to date, ${ready.manual} hand-written, ${ready.failed} failed`;
  return `initial pass: ${counts} (${seconds}${ready.python ? `, Python: ${ready.python}` : ''})\nwatching ${ready.bugs} bug${ready.bugs === 1 ? '' : 's'} in ${ready.root} — Ctrl-C to stop`;
}

export function formatNotice(notice: WatchNotice, cwd: string): { text: string; error: boolean } {
  const rel = (file: string) => path.relative(cwd, file) || '.';
  switch (notice.kind) {
    case 'orphan':
      return notice.outputExists
        ? { text: `✖ ${notice.bugId}: ${rel(notice.patchFile)} was deleted; ${rel(notice.outputFile)} is now an orphan (left in place — delete it if the bug is gone)`, error: false }
        : { text: `• ${notice.bugId}: ${rel(notice.patchFile)} was deleted (it had no JSON)`, error: false };
    case 'output-changed':
      return { text: `• ${notice.bugId}: ${rel(notice.outputFile)} changed on disk (not by this watcher); nothing rebuilt`, error: false };
    case 'orphan-at-start':
      return { text: `• orphan JSON with no patch: ${rel(notice.outputFile)} (left in place)`, error: false };
    case 'config-reloaded': {
      const what = notice.changed.length ? `changed ${notice.changed.join(', ')}` : 'no effective change';
      const effect = notice.rebuilt ? `${notice.bugs} bug${notice.bugs === 1 ? '' : 's'} looked at again` : 'applied in place, nothing rebuilt';
      return { text: `config reloaded${notice.file ? ` (${rel(notice.file)})` : ' (defaults)'}: ${what}; ${effect}`, error: false };
    }
    case 'config-error':
      return { text: `✖ config not reloaded, the previous one stays in force: ${notice.message}`, error: true };
    case 'golden-reloaded':
      return { text: `golden examples reloaded (${notice.examples}; changed: ${notice.files.map(rel).join(', ')}) — used by future LLM requests, nothing rebuilt`, error: false };
    case 'engine-reloaded':
      return { text: `engine reloaded (changed: ${notice.files.map(rel).join(', ')}): ${notice.engine}; ${notice.bugs} bug${notice.bugs === 1 ? '' : 's'} looked at again`, error: false };
    case 'lock-recovered':
      return { text: `recovered the stale watch lock of pid ${notice.pid} (${rel(notice.lockFile)})`, error: false };
    case 'temp-files-removed':
      return { text: `removed ${notice.files.length} temp file${notice.files.length === 1 ? '' : 's'} left by a killed process`, error: false };
    case 'watch-error':
      return { text: `✖ watcher: ${notice.message}`, error: true };
    case 'warning':
      return { text: `⚠ ${notice.message}`, error: true };
    case 'python-started':
      return { text: notice.lines.join('\n'), error: false };
  }
}

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}
