import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { generationOptions, projectOptions, reporterOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  poll: { type: 'boolean', description: 'poll the file system instead of native events (network drives)' },
  interval: { type: 'string', valueHint: 'ms', description: 'polling interval with --poll (default 100)' },
  debounce: { type: 'string', valueHint: 'ms', description: 'quiet period before a burst of saves is processed (default 80)' },
  ...generationOptions,
  ...projectOptions,
  ...reporterOptions,
  quiet: { type: 'boolean', short: 'q', description: 'print only changes and failures (not the up-to-date lines)' },
  ui: { type: 'boolean', description: 'also serve the review studio (see `bug-author review`), its URL printed first; rows follow every rebuild live' },
  port: { type: 'string', valueHint: 'n', description: 'with --ui: listen on this port (default: a free one)' },
} as const satisfies OptionSpecs;

export type WatchArgs = ParsedArgs<typeof options>;

export const watchCommand = defineCommand({
  name: 'watch',
  summary: 'keep every JSON up to date while you edit patches (daemon)',
  description: `Brings every stale or missing JSON up to date, then keeps running: each save of a patch,
symptom, reference file, golden example or the config regenerates, verifies and writes the
affected JSON and prints one line per bug. A config edit is applied by what it changed:
concurrency or reporters in place (running work goes on), a new generator chain restarts
generation, anything else reloads the project. Ctrl-C (or SIGTERM) stops it cleanly.
One watcher per project (lock file .bug-author/watch.lock, outside the cache).`,
  options,
  exitCodes: { 0: 'stopped cleanly', 2: 'usage or configuration error, or another watcher is running' },
  run: async (args, io) => (await import('./watch-action.js')).runWatchCommand(args, io),
});
