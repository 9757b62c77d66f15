import type { CacheWriteProblem } from '../cache/content-cache.js';
import { createContentCache } from '../cache/content-cache.js';
import { collectFindings, type CheckReport } from '../check/collect-findings.js';
import { countBySeverity } from '../check/finding.js';
import { UsageError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { createReporterDispatch } from '../report/reporter-dispatch.js';
import { noticeSink, type ProjectRunOptions } from './run-options.js';

export interface CheckOptions extends ProjectRunOptions {
  /** Judge the git index (what is about to be committed) instead of the working tree. */
  staged?: boolean;
  /** Only bugs whose inputs or outputs changed since this git ref. */
  since?: string;
  /** Outputs git does not track are findings; default: the environment's `CI` is set (and not `false`/`0`). */
  ci?: boolean;
  /** Unreviewed and review-stale JSON are errors (as config `requireReview`, `bug-author review` records reviews). */
  requireReview?: boolean;
}

/** A finished check: every finding, the transfer of every exact JSON, and what the CLI prints around them. */
export interface CheckResult extends CheckReport {
  command: 'check';
  /** Absolute project root and config file. */
  root: string;
  configFile?: string;
  /** The exit code the CLI returns: 1 when any finding is an error, else 0. */
  exitCode: number;
  cacheWriteProblem?: CacheWriteProblem;
  /** Which Python served and why, and what the engine judge did (the CLI's `--verbose` lines). */
  pythonReport: string[];
}

/**
 * Judges the project's JSON against their inputs, as `bug-author check` does (CI, pre-commit),
 * and returns the findings. The signal cancels it: the promise rejects with the signal's reason.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  if (options.since === '') throw new UsageError('check: --since needs a git ref, e.g. --since origin/main');
  options.signal?.throwIfAborted();
  const notice = noticeSink(options);
  const env = options.env ?? process.env;
  const { config, python, engine } = await loadProject({ cwd: options.cwd ?? process.cwd(), env }, { config: options.configFile });
  const reporters = createReporterDispatch([...(options.reporters ?? []), ...config.reporters], (message) => notice({ kind: 'warning', message }));
  const cache = createContentCache(config.cacheDir);
  try {
    const report = await collectFindings(
      config,
      { staged: options.staged === true, ...(options.since !== undefined ? { since: options.since } : {}), ci: options.ci ?? isCi(env), ...(options.requireReview ? { requireReview: true } : {}) },
      { python, cache, ...('judge' in engine ? { judge: engine.judge } : {}), ...(options.signal ? { signal: options.signal } : {}) },
      {
        onStart: (bugs) => reporters.runStart({ command: 'check', root: config.root, ...(config.file ? { configFile: config.file } : {}), bugs, verbose: false }),
        onBug: (bug, findings) => reporters.bugDone({ command: 'check', bug, findings }),
      },
    );
    if (report.tempFilesRemoved) notice({ kind: 'temp-files-removed', root: config.root, files: report.tempFilesRemoved });
    // An engine judge that hung was switched off for the rest of the run: said once.
    const judgeOff = 'judge' in engine ? engine.judge.switchedOff() : undefined;
    if (judgeOff) notice({ kind: 'warning', message: judgeOff });
    const cacheWriteProblem = cache.writeProblem();
    if (cacheWriteProblem) notice({ kind: 'cache-unwritable', root: config.root, problem: cacheWriteProblem });
    const exitCode = countBySeverity(report.findings).errors > 0 ? 1 : 0;
    reporters.runEnd({ command: 'check', report, exitCode });
    return {
      command: 'check',
      root: config.root,
      ...(config.file ? { configFile: config.file } : {}),
      ...report,
      exitCode,
      ...(cacheWriteProblem ? { cacheWriteProblem } : {}),
      pythonReport: formatPythonVerbose(python, engine),
    };
  } finally {
    await reporters.flush();
  }
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
