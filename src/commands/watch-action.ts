import { createWatcher } from '../api/create-watcher.js';
import { UsageError } from '../errors.js';
import { terminalReporter } from './terminal-reporter.js';
import { WatchLockedError, WatchLockUnavailableError } from '../watch/watch-lock.js';
import { commandCwd, EXIT_OK, EXIT_USAGE, type CommandIO } from './command.js';
import { cliReporters, llmTimeoutMs } from './run-options.js';
import type { WatchArgs } from './watch-command.js';
import { listen, portOption, studioFor } from './review-action.js';
import { loadProject } from '../project/load-project.js';
import type { ReviewServer } from '../review/review-server.js';
import type { ReviewStudio } from '../review/review-studio.js';
import { followWatcher } from '../review/follow-watcher.js';

export async function runWatchCommand({ options }: WatchArgs, io: CommandIO): Promise<number> {
  const interval = nonNegativeInteger('--interval', options.interval);
  const debounce = nonNegativeInteger('--debounce', options.debounce);
  const extraReporters = await cliReporters('watch', options, io);
  const timeoutMs = llmTimeoutMs('watch', options['llm-timeout']);
  const cwd = commandCwd(io, options.cwd);
  const terminal = terminalReporter({ stdout: io.stdout, stderr: io.stderr, cwd, quiet: options.quiet === true, verbose: options.verbose === true, noLlm: options.llm === false });

  // The review studio first: its URL is the first line printed.
  const port = portOption('watch', options.port);
  let studio: ReviewStudio | undefined;
  let server: ReviewServer | undefined;
  if (options.ui) {
    studio = studioFor(await loadProject(io, { config: options.config, cwd: options.cwd }), io);
    server = await listen(studio, port, 'watch', io);
    if (!server) return EXIT_USAGE;
    void studio.refresh();
  } else if (port !== undefined) {
    throw new UsageError('watch: --port needs --ui');
  }
  const ui = studio;
  // SIGINT and SIGTERM arrive through io.signal (src/main.ts).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (io.signal?.aborted) return EXIT_OK;
    let watcher;
    try {
      watcher = await createWatcher({
        cwd,
        ...(options.config ? { configFile: options.config } : {}),
        noLlm: options.llm === false,
        ...(timeoutMs !== undefined ? { llmTimeoutMs: timeoutMs } : {}),
        env: io.env,
        ...(options.poll ? { poll: true } : {}),
        ...(interval !== undefined ? { pollIntervalMs: interval } : {}),
        ...(debounce !== undefined ? { debounceMs: debounce } : {}),
        signal: stop.signal,
        reporters: [terminal, ...extraReporters],
        verbose: options.verbose === true,
      });
    } catch (err) {
      if (err instanceof WatchLockedError || err instanceof WatchLockUnavailableError) {
        io.stderr(`bug-author watch: ${err.message}\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
    if (options.verbose) io.stderr(`${watcher.pythonReport().join('\n')}\n`);
    if (ui) followWatcher(ui, watcher);
    await watcher.closed;
    return EXIT_OK;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    await server?.close();
  }
}

function nonNegativeInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`watch: ${option} must be a non-negative integer (got ${value})`);
  return n;
}
