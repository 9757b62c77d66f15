import path from 'node:path';
import { UsageError } from '../errors.js';
import { formatNotice, formatReadyLines, formatWatchOutcome } from '../watch/format-watch-report.js';
import { WatchLockedError } from '../watch/watch-lock.js';
import { startWatcher } from '../watch/watcher.js';
import { EXIT_OK, EXIT_USAGE, type Command } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';

export const watchCommand: Command = {
  name: 'watch',
  summary: 'keep every JSON up to date while you edit patches (daemon)',
  usage: `Usage: bug-author watch [options]

Brings every stale or missing JSON up to date, then keeps running: each save of a patch,
symptom, reference file, golden example or the config regenerates, verifies and writes the
affected JSON and prints one line per bug. Ctrl-C (or SIGTERM) stops it cleanly.
One watcher per project (lock file in the cache dir).

Options:
  --poll              poll the file system instead of native events (network drives)
  --interval <ms>     polling interval with --poll (default 100)
  --debounce <ms>     quiet period before a burst of saves is processed (default 80)
  --no-llm            do not use the LLM generator (synthesis only)
  --config <file>     use this config file instead of searching upwards
  --cwd <dir>         run as if started in <dir>
  -q, --quiet         print only changes and failures (not the up-to-date lines)
  --verbose           also say which Python served (CPython or pyodide, and why) and what the engine judge did
  -h, --help          show this help

Exit codes: 0 stopped cleanly, 2 usage or configuration error, or another watcher is running.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      'watch',
      args,
      {
        poll: { type: 'boolean' },
        interval: { type: 'string' },
        debounce: { type: 'string' },
        llm: { type: 'boolean', default: true },
        config: { type: 'string' },
        cwd: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        verbose: { type: 'boolean' },
      },
      false,
    );
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    const interval = nonNegativeInteger('--interval', values.interval);
    const debounce = nonNegativeInteger('--debounce', values.debounce);

    // SIGINT arrives through io.signal (src/main.ts); SIGTERM is the daemon's own business.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    io.signal?.addEventListener('abort', onAbort, { once: true });
    process.once('SIGTERM', onAbort);
    try {
      if (io.signal?.aborted) return EXIT_OK;
      let watcher;
      try {
        watcher = await startWatcher({
          cwd: path.resolve(io.cwd, values.cwd ?? '.'),
          ...(values.config ? { configFile: values.config } : {}),
          noLlm: values.llm === false,
          env: io.env,
          ...(values.poll ? { poll: true } : {}),
          ...(interval !== undefined ? { pollIntervalMs: interval } : {}),
          ...(debounce !== undefined ? { debounceMs: debounce } : {}),
          signal: stop.signal,
          onOutcome: (event) => {
            const line = formatWatchOutcome(event, { quiet: values.quiet === true });
            if (line) io.stdout(`${line}\n`);
          },
          onNotice: (notice) => {
            if (notice.kind === 'python-started' && !values.verbose) return;
            const { text, error } = formatNotice(notice, path.resolve(io.cwd, values.cwd ?? '.'));
            (error ? io.stderr : io.stdout)(`${text}\n`);
          },
        });
      } catch (err) {
        if (err instanceof WatchLockedError) {
          io.stderr(`bug-author watch: ${err.message}\n`);
          return EXIT_USAGE;
        }
        throw err;
      }
      const ready = await Promise.race([watcher.ready, watcher.closed.then(() => undefined)]);
      if (ready && !ready.cancelled) io.stdout(`${formatReadyLines(ready)}\n`);
      await watcher.closed;
      if (values.verbose) io.stderr(`${watcher.pythonReport().join('\n')}\n`);
      io.stdout('bug-author watch: stopped\n');
      return EXIT_OK;
    } finally {
      process.removeListener('SIGTERM', onAbort);
      io.signal?.removeEventListener('abort', onAbort);
    }
  },
};

function nonNegativeInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`watch: ${option} must be a non-negative integer (got ${value})`);
  return n;
}
