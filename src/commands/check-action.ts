import path from 'node:path';
import { createContentCache } from '../cache/content-cache.js';
import { collectFindings } from '../check/collect-findings.js';
import { formatCacheWriteProblem, formatTempFilesRemoved } from '../report/format-notices.js';
import { countBySeverity } from '../check/finding.js';
import { UsageError } from '../errors.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { createReporterDispatch } from '../report/reporter-dispatch.js';
import { terminalReporter, type CheckFormat } from '../report/terminal-reporter.js';
import type { CheckArgs } from './check-command.js';
import { EXIT_FINDINGS, EXIT_OK, interruptedExitCode, type CommandIO } from './command.js';
import { loadProject } from './project-context.js';
import { cliReporters } from './run-options.js';

export async function runCheckCommand({ options }: CheckArgs, io: CommandIO): Promise<number> {
  if (options.since === '') throw new UsageError('check: --since needs a git ref, e.g. --since origin/main');
  const extraReporters = await cliReporters('check', options, io);
  const { config, python, engine } = await loadProject(io, { config: options.config, cwd: options.cwd });
  const terminal = terminalReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    cwd: io.cwd,
    format: options.format as CheckFormat,
    workspace: io.env.GITHUB_WORKSPACE ?? path.resolve(io.cwd),
  });
  const reporters = createReporterDispatch([terminal, ...config.reporters, ...extraReporters], (message) => io.stderr(`bug-author check: ${message}\n`));
  const cache = createContentCache(config.cacheDir);
  try {
    const report = await collectFindings(
      config,
      { staged: options.staged === true, ...(options.since !== undefined ? { since: options.since } : {}), ci: isCi(io.env), ...(io.signal ? { signal: io.signal } : {}) },
      { python, cache, ...('judge' in engine ? { judge: engine.judge } : {}) },
      {
        onStart: (bugs) => reporters.runStart({ command: 'check', root: config.root, ...(config.file ? { configFile: config.file } : {}), bugs, verbose: false }),
        onBug: (bug, findings) => reporters.bugDone({ command: 'check', bug, findings }),
      },
    );
    if (report.tempFilesRemoved) io.stderr(`${formatTempFilesRemoved(report.tempFilesRemoved, config.root)}\n`);
    const judgeOff = 'judge' in engine ? engine.judge.switchedOff() : undefined;
    if (judgeOff) io.stderr(`bug-author check: ${judgeOff}\n`);
    const cacheProblem = cache.writeProblem();
    if (cacheProblem) io.stderr(`${formatCacheWriteProblem(cacheProblem, config.root)}\n`);
    if (options.verbose) io.stderr(`${formatPythonVerbose(python, engine).join('\n')}\n`);
    const exitCode = report.interrupted ? interruptedExitCode(io.signal) : countBySeverity(report.findings).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
    if (report.interrupted) io.stderr(`Interrupted: ${report.checked} of ${report.bugs} bugs were judged; the findings below are theirs only.\n`);
    reporters.runEnd({ command: 'check', report, exitCode });
    return exitCode;
  } finally {
    await reporters.flush();
  }
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
