import path from 'node:path';
import { createBuildEnvironment } from '../build/build-environment.js';
import { runBuild } from '../build/run-build.js';
import { discoverBugsByGlob } from '../discover/discover-bugs.js';
import { bugsForNamedPatches } from '../discover/named-patches.js';
import { assertGlobsMatch } from '../discover/unmatched-globs.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { formatCacheWriteProblem, formatTempFilesRemoved } from '../report/format-notices.js';
import { formatReviewReport } from '../report/format-review-report.js';
import { createReporterDispatch } from '../report/reporter-dispatch.js';
import { terminalReporter } from '../report/terminal-reporter.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { draftStatuses } from '../repair/current-drafts.js';
import { repairRottedBugs } from '../repair/repair-in-build.js';
import { addUsage } from '../generate/usage.js';
import { formatDraftList, formatDraftReview } from '../repair/format-drafts.js';
import { projectTempDirs, removeStaleTempFiles } from '../write/temp-sweep.js';
import type { BuildArgs } from './build-command.js';
import { EXIT_FINDINGS, EXIT_OK, interruptedExitCode, type CommandIO } from './command.js';
import { loadProject } from './project-context.js';
import { cliReporters, withRunOverrides } from './run-options.js';

export async function runBuildCommand({ options, positionals }: BuildArgs, io: CommandIO): Promise<number> {
  const extraReporters = await cliReporters('build', options, io);
  const { config: loaded, cwd: base, env, python, engine } = await loadProject(io, { config: options.config, cwd: options.cwd });
  const config = withRunOverrides('build', loaded, options, io);
  const discovery = await discoverBugsByGlob(config);
  await assertGlobsMatch(config, discovery);
  for (const problem of discovery.manifestProblems) io.stderr(`bug-author build: ${problem.file}: ${problem.reason}\n`);
  const allBugs = discovery.bugs;
  const bugs = positionals.length ? bugsForNamedPatches('build', positionals, base, allBugs, config) : allBugs;
  if (bugs.length === 0) {
    io.stderr(`No patches found under ${config.root} matching ${config.bugs.join(', ')}.\n`);
    return EXIT_OK;
  }
  const noLlm = options.llm === false;
  const verbose = options.verbose === true;
  const warn = (message: string) => io.stderr(`bug-author build: ${message}\n`);
  const terminal = terminalReporter({ stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, quiet: options.quiet === true, verbose, noLlm });
  const reporters = createReporterDispatch([terminal, ...config.reporters, ...extraReporters], warn);
  const buildEnvironment = await createBuildEnvironment(config, {
    python,
    ...('judge' in engine ? { judge: engine.judge } : {}),
    env,
    bugs: allBugs,
    noLlm,
    force: options.force === true,
    warn,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  const removed = await removeStaleTempFiles(projectTempDirs(config, allBugs));
  if (removed.length) io.stderr(`${formatTempFilesRemoved(removed, config.root)}\n`);
  reporters.runStart({ command: 'build', root: config.root, ...(config.file ? { configFile: config.file } : {}), bugs, verbose });
  try {
    const run = await runBuild(bugs, buildEnvironment, (outcome) => reporters.bugDone({ command: 'build', bug: outcome.bug, outcome }));
    if (config.repair.inBuild && io.signal?.aborted !== true) {
      await reporters.flush();
      const repairUsage = await repairRottedBugs(config, run.outcomes, {
        python,
        ...('judge' in engine ? { judge: engine.judge } : {}),
        env,
        bugs: allBugs,
        noLlm,
        ...(io.signal ? { signal: io.signal } : {}),
        say: (line) => io.stdout(`${line}\n`),
      });
      if (repairUsage) addUsage(run.usage, repairUsage);
    }
    const interrupted = io.signal?.aborted === true;
    const exitCode = interrupted ? interruptedExitCode(io.signal) : run.outcomes.some((o) => o.status === 'failed') ? EXIT_FINDINGS : EXIT_OK;
    reporters.runEnd({ command: 'build', run, exitCode, interrupted });
    await reporters.flush();
    const judgeOff = 'judge' in engine ? engine.judge.switchedOff() : undefined;
    if (judgeOff) warn(judgeOff);
    if (verbose) io.stderr(`${formatPythonVerbose(python, engine).join('\n')}\n`);
    const cacheProblem = buildEnvironment.cache.writeProblem();
    if (cacheProblem) io.stderr(`${formatCacheWriteProblem(cacheProblem, config.root)}\n`);
    const drafts = await draftStatuses(config, bugs.map((b) => b.patchFile));
    const draftLines = formatDraftList(drafts.map((d) => d.draft), new Set(drafts.filter((d) => d.stale).map((d) => d.draft)));
    if (draftLines.length && options.quiet !== true) io.stdout(`${draftLines.join('\n')}\n`);
    if (options.review) {
      const reviewFile = path.resolve(base, options.review);
      await writeFileAtomic(reviewFile, (await formatReviewReport(run, config.root)) + formatDraftReview(drafts));
      io.stdout(`Review document: ${path.relative(io.cwd, reviewFile) || reviewFile}\n`);
    }
    return exitCode;
  } finally {
    await buildEnvironment.runner.close();
    await reporters.flush();
  }
}
