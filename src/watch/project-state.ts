import fg from 'fast-glob';
import { createBuildEnvironment, type BuildEnvironment } from '../build/build-environment.js';
import { loadProject } from '../commands/project-context.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { EngineSetup } from '../verify/engine-judge.js';

export interface ProjectOptions {
  cwd: string;
  /** An explicit `--config` file (else searched upwards from cwd). */
  configFile?: string;
  noLlm: boolean;
  env: NodeJS.ProcessEnv;
  /** A runtime to use whatever the config says (benchmarks, tests); else the config and env choose. */
  python?: PythonRuntime;
}

/** Everything one config implies: the bugs, and the environment their builds run in. */
export interface ProjectState {
  config: ResolvedConfig;
  /** By patch file (ids `<module>/<name>` can repeat across curricula). */
  bugs: Map<string, BugRef>;
  /** Shared by every build; each run adds its own AbortSignal. */
  env: BuildEnvironment;
  /** The engine judge (in env too), or why there is none: for --verbose. */
  engine: EngineSetup;
}

/** Loads (or reloads) the config and everything derived from it, as `build` does. */
export async function loadProjectState(options: ProjectOptions): Promise<ProjectState> {
  const io = { cwd: options.cwd, env: options.env, stdout: () => {}, stderr: () => {} };
  const { config, env, python, engine } = await loadProject(io, { config: options.configFile, python: options.python });
  const bugs = await discoverBugs(config);
  return {
    config,
    bugs: new Map(bugs.map((b) => [b.patchFile, b])),
    env: await createBuildEnvironment(config, { python, ...('judge' in engine ? { judge: engine.judge } : {}), env, bugs, noLlm: options.noLlm }),
    engine,
  };
}

/** The files whose edits change the golden examples: the `golden` globs, else every bug's JSON. */
export async function goldenCandidates(state: ProjectState): Promise<Set<string>> {
  const { config } = state;
  if (!config.golden) return new Set([...state.bugs.values()].map((b) => b.outputFile));
  return new Set(await fg(config.golden, { cwd: config.root, absolute: true, onlyFiles: true }));
}
