import { createContentCache, type ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { resolveGenerators } from '../generate/default-generators.js';
import type { GeneratorPlugin, GoldenExample, RunEnv } from '../generate/generator.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { EngineJudge } from '../verify/engine-judge.js';
import { loadGoldenExamples } from './golden-examples.js';

/** What building a bug needs from the run around it (passed down; no globals). */
export interface BuildEnvironment {
  config: ResolvedConfig;
  python: PythonRuntime;
  /** The curriculum's engine, judging every verification too (when it ships one and Python is CPython). */
  judge?: EngineJudge;
  cache: ContentCache;
  generators: readonly GeneratorPlugin[];
  goldenExamples: readonly GoldenExample[];
  /** Overwrite hand-written and hand-edited JSON. */
  force: boolean;
  signal?: AbortSignal;
  /** Environment for generators (API keys); default process.env. */
  env?: RunEnv;
}

export interface BuildEnvironmentOptions {
  python: PythonRuntime;
  judge?: EngineJudge | undefined;
  /** The process environment over the project's .env (see loadProject). */
  env: RunEnv;
  /** Every bug of the project: hand-written ones are the default golden examples. */
  bugs: readonly BugRef[];
  noLlm: boolean;
  force?: boolean;
  signal?: AbortSignal;
}

/** The environment `build` and `watch` run bugs in, from one resolved config. */
export async function createBuildEnvironment(config: ResolvedConfig, options: BuildEnvironmentOptions): Promise<BuildEnvironment> {
  return {
    config,
    python: options.python,
    ...(options.judge ? { judge: options.judge } : {}),
    cache: createContentCache(config.cacheDir),
    generators: await resolveGenerators(config, { noLlm: options.noLlm, env: options.env }),
    goldenExamples: await loadGoldenExamples(config, options.bugs),
    force: options.force ?? false,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
