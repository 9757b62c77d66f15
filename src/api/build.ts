import type { CacheWriteProblem } from '../cache/content-cache.js';
import { createBuildEnvironment } from '../compile/build-environment.js';
import { builtInGenerators } from './built-in-generators.js';
import { loadPatchReauthor } from './load-reauthor.js';
import { runBuild, type BuildRun } from '../compile/run-build.js';
import { discoverBugsByGlob } from '../discover/discover-bugs.js';
import { bugsForNamedPatches } from '../discover/named-patches.js';
import { assertGlobsMatch } from '../discover/unmatched-globs.js';
import { withLlmTimeout } from '../project/config-overrides.js';
import { loadProject } from '../project/load-project.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { createReporterDispatch } from '../report/reporter-dispatch.js';
import { addUsage, emptyUsage } from '../generate/usage.js';
import { projectTempDirs } from '../project/project-temp-dirs.js';
import { draftStatuses, type DraftStatus } from '../drafts/current-drafts.js';
import { moveLegacyNearMissDrafts } from '../drafts/near-miss-drafts.js';
import { repairRottedBugs } from '../repair/repair-in-build.js';
import { removeStaleTempFiles } from '../write/temp-sweep.js';
import { noticeSink, type ProjectRunOptions } from './run-options.js';

export interface BuildOptions extends ProjectRunOptions {
  /** Only these patch files (relative to `cwd`); default every patch the config finds. */
  patches?: readonly string[];
  /** Regenerate everything: overwrite hand-written or hand-edited JSON and reuse no cached result. */
  force?: boolean;
  /** Skip every `kind: 'llm'` generator. */
  noLlm?: boolean;
  /** Bugs processed at once, over the config's `concurrency`. */
  concurrency?: number;
  /** Per-request timeout of the built-in LLM generator, over the config's `llm.timeoutMs`. */
  llmTimeoutMs?: number;
  /** Reporters get `verbose: true` (stacks of what plugins threw). */
  verbose?: boolean;
}

/** A finished (or cancelled) build: every outcome, the LLM usage, and what the CLI prints around them. */
export interface BuildResult extends BuildRun {
  command: 'build';
  /** Absolute project root and config file. */
  root: string;
  configFile?: string;
  /** The exit code the CLI returns: 0 all built, 1 some bugs failed, 130/143 cancelled. */
  exitCode: number;
  /** The signal fired: bugs still in progress were not written, finished ones were. */
  interrupted: boolean;
  /** Temp files of killed runs swept before the build (absolute). */
  tempFilesRemoved: string[];
  cacheWriteProblem?: CacheWriteProblem;
  /** Which Python served and why, and what the engine judge did (the CLI's `--verbose` lines). */
  pythonReport: string[];
  /** Verified drafts of rotted patches waiting under .bug-author/drafts/ for the bugs built (`refresh-patch --accept`). */
  drafts: DraftStatus[];
}

/**
 * Compiles the project's patches (or the ones named) into verified v2.1 JSON, as `bug-author
 * build` does, and returns the report. Configuration and usage problems throw (ConfigError,
 * UsageError); a bug that fails is an outcome, not an exception.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const notice = noticeSink(options);
  const warn = (message: string) => notice({ kind: 'warning', message });
  const { config: loaded, cwd, env, python, engine } = await loadProject({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }, { config: options.configFile });
  let config = options.concurrency !== undefined ? { ...loaded, concurrency: positiveInteger('concurrency', options.concurrency) } : loaded;
  if (options.llmTimeoutMs !== undefined) {
    if (config.generators) warn('the LLM timeout (--llm-timeout) applies to the built-in LLM generator; the config lists its own generators (set openaiGenerator({ timeoutMs }) there)');
    config = withLlmTimeout(config, positiveInteger('llmTimeoutMs', options.llmTimeoutMs));
  }
  const discovery = await discoverBugsByGlob(config);
  await assertGlobsMatch(config, discovery);
  for (const problem of discovery.manifestProblems) warn(`${problem.file}: ${problem.reason}`);
  const allBugs = discovery.bugs;
  const bugs = options.patches?.length ? bugsForNamedPatches('build', options.patches, cwd, allBugs, config) : allBugs;
  const result = (run: BuildRun, fields: Pick<BuildResult, 'exitCode' | 'interrupted' | 'tempFilesRemoved' | 'drafts'> & { cacheWriteProblem?: CacheWriteProblem | undefined }): BuildResult => ({
    command: 'build',
    root: config.root,
    ...(config.file ? { configFile: config.file } : {}),
    ...run,
    exitCode: fields.exitCode,
    interrupted: fields.interrupted,
    tempFilesRemoved: fields.tempFilesRemoved,
    drafts: fields.drafts,
    ...(fields.cacheWriteProblem ? { cacheWriteProblem: fields.cacheWriteProblem } : {}),
    pythonReport: formatPythonVerbose(python, engine),
  });
  if (bugs.length === 0) {
    notice({ kind: 'no-bugs', root: config.root, globs: config.bugs });
    return result({ outcomes: [], ms: 0, usage: emptyUsage(), pythonLoaded: false }, { exitCode: 0, interrupted: false, tempFilesRemoved: [], drafts: [] });
  }
  const verbose = options.verbose === true;
  const reporters = createReporterDispatch([...(options.reporters ?? []), ...config.reporters], warn);
  const environment = await createBuildEnvironment(config, {
    python,
    ...('judge' in engine ? { judge: engine.judge } : {}),
    env,
    bugs: allBugs,
    noLlm: options.noLlm === true,
    force: options.force === true,
    warn,
    ...(options.signal ? { signal: options.signal } : {}),
    builtInGenerators,
  });
  const removed = await removeStaleTempFiles(projectTempDirs(config, allBugs));
  if (removed.length) notice({ kind: 'temp-files-removed', root: config.root, files: removed });
  for (const line of await moveLegacyNearMissDrafts(config.root, bugs)) warn(line);
  reporters.runStart({ command: 'build', root: config.root, ...(config.file ? { configFile: config.file } : {}), bugs, verbose });
  try {
    const run = await runBuild(bugs, environment, (outcome) => reporters.bugDone({ command: 'build', bug: outcome.bug, outcome }));
    if (config.repair.inBuild && options.signal?.aborted !== true) {
      await reporters.flush();
      const repairUsage = await repairRottedBugs(config, run.outcomes, {
        python,
        ...('judge' in engine ? { judge: engine.judge } : {}),
        env,
        bugs: allBugs,
        noLlm: options.noLlm === true,
        ...(options.signal ? { signal: options.signal } : {}),
        say: (message) => notice({ kind: 'repair', message }),
        loadReauthor: loadPatchReauthor,
        builtInGenerators,
      });
      if (repairUsage) addUsage(run.usage, repairUsage);
    }
    const interrupted = options.signal?.aborted === true;
    const exitCode = interrupted ? (options.signal?.reason === 'SIGTERM' ? 143 : 130) : run.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
    reporters.runEnd({ command: 'build', run, exitCode, interrupted });
    await reporters.flush();
    // An engine judge that hung was switched off for the rest of the run: said once.
    const judgeOff = 'judge' in engine ? engine.judge.switchedOff() : undefined;
    if (judgeOff) warn(judgeOff);
    const cacheWriteProblem = environment.cache.writeProblem();
    if (cacheWriteProblem) notice({ kind: 'cache-unwritable', root: config.root, problem: cacheWriteProblem });
    const drafts = await draftStatuses(config, bugs.map((b) => b.patchFile));
    return result(run, { exitCode, interrupted, tempFilesRemoved: removed, cacheWriteProblem, drafts });
  } finally {
    await environment.runner.close();
    await reporters.flush();
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}
