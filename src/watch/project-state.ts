import fg from 'fast-glob';
import { createBuildEnvironment, type BuildEnvironment } from '../compile/build-environment.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { discoverBugsByGlob } from '../discover/discover-bugs.js';
import { assertGlobsMatch } from '../discover/unmatched-globs.js';
import type { BuiltInGenerators } from '../generate/default-generators.js';
import type { RunEnv } from '../generate/generator.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { EngineSetup } from '../verify/engine-judge.js';
import { withLlmTimeout } from '../project/config-overrides.js';
import { loadProject } from '../project/load-project.js';

export interface ProjectOptions {
  cwd: string;
  /** An explicit `--config` file (else searched upwards from cwd). */
  configFile?: string;
  noLlm: boolean;
  /** `--llm-timeout`, over the config's llm.timeoutMs. */
  llmTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
  /** A runtime to use whatever the config says (benchmarks, tests); else the config and env choose. */
  python?: PythonRuntime;
  /** The watch session: generators' setup() sees it. */
  signal?: AbortSignal;
  /** Problems that belong to no bug (a plugin's close() that threw). */
  warn?: (message: string) => void;
  /** The chain used when the config lists no generators. */
  builtInGenerators?: BuiltInGenerators;
}

/** Everything one config implies: the bugs, and the environment their builds run in. */
export interface ProjectState {
  config: ResolvedConfig;
  /** By patch file (ids `<module>/<name>` can repeat across curricula). */
  bugs: Map<string, BugRef>;
  /** Shared by every build; each run adds its own AbortSignal. Its generator runner is closed when replaced. */
  env: BuildEnvironment;
  /** The engine judge (in env too), or why there is none: for --verbose. */
  engine: EngineSetup;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** The process environment over the project's .env. */
  runEnv: RunEnv;
  /** The Python the config and BUG_AUTHOR_PYTHON ask for. */
  python: PythonRuntime;
  engine: EngineSetup;
}

/** Loads (or reloads) the config, the project's .env and its Python, as `build` does. */
export async function loadProjectConfig(options: ProjectOptions): Promise<LoadedConfig> {
  const { config, env, python, engine } = await loadProject({ cwd: options.cwd, env: options.env }, { config: options.configFile, python: options.python });
  return { config: options.llmTimeoutMs !== undefined ? withLlmTimeout(config, options.llmTimeoutMs) : config, runEnv: env, python, engine };
}

/** Discovers the bugs and creates the build environment for a loaded config. */
export async function createProjectState(loaded: LoadedConfig, options: ProjectOptions, known?: readonly BugRef[]): Promise<ProjectState> {
  const bugs = known ?? (await discoverMatching(loaded.config));
  return {
    config: loaded.config,
    bugs: new Map(bugs.map((b) => [b.patchFile, b])),
    env: await createBuildEnvironment(loaded.config, {
      python: loaded.python,
      ...('judge' in loaded.engine ? { judge: loaded.engine.judge } : {}),
      env: loaded.runEnv,
      bugs,
      noLlm: options.noLlm,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.warn ? { warn: options.warn } : {}),
      builtInGenerators: options.builtInGenerators,
    }),
    engine: loaded.engine,
  };
}

/** The bugs, as build and check find them: a `bugs` glob that matches nothing is a configuration error (not "watching 0 bugs"). */
async function discoverMatching(config: ResolvedConfig): Promise<BugRef[]> {
  const discovery = await discoverBugsByGlob(config);
  await assertGlobsMatch(config, discovery);
  return discovery.bugs;
}

export async function loadProjectState(options: ProjectOptions): Promise<ProjectState> {
  return createProjectState(await loadProjectConfig(options), options);
}

/** The files whose edits change the golden examples: the `golden` globs, else every bug's JSON. */
export async function goldenCandidates(state: ProjectState): Promise<Set<string>> {
  const { config } = state;
  if (!config.golden) return new Set([...state.bugs.values()].map((b) => b.outputFile));
  return new Set(await fg(config.golden, { cwd: config.root, absolute: true, onlyFiles: true }));
}
