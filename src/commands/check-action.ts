import path from 'node:path';
import { check } from '../api/check.js';
import { formatRunNotice } from '../report/format-notices.js';
import { terminalReporter, type CheckFormat } from './terminal-reporter.js';
import type { CheckArgs } from './check-command.js';
import { commandCwd, interruptedExitCode, type CommandIO } from './command.js';
import { cliReporters } from './run-options.js';

/** `bug-author check`: the public check() with the terminal reporter in the chosen format. */
export async function runCheckCommand({ options }: CheckArgs, io: CommandIO): Promise<number> {
  const extraReporters = await cliReporters('check', options, io);
  const terminal = terminalReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    cwd: io.cwd,
    format: options.format as CheckFormat,
    workspace: io.env.GITHUB_WORKSPACE ?? path.resolve(io.cwd),
  });
  try {
    const result = await check({
      cwd: commandCwd(io, options.cwd),
      ...(options.config ? { configFile: options.config } : {}),
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
      reporters: [terminal, ...extraReporters],
      onNotice: (notice) => io.stderr(`${formatRunNotice(notice, 'check')}\n`),
      staged: options.staged === true,
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options['require-review'] ? { requireReview: true } : {}),
    });
    if (options.verbose) io.stderr(`${result.pythonReport.join('\n')}\n`);
    return result.exitCode;
  } catch (err) {
    if (io.signal?.aborted) {
      io.stderr('Interrupted: the check stopped before every bug was judged, so it reports nothing.\n');
      return interruptedExitCode(io.signal);
    }
    throw err;
  }
}
