import { createContentCache, type ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { resolveGenerators, type BuiltInGenerators } from '../generate/default-generators.js';
import type { GoldenExample, RunEnv } from '../generate/generator.js';
import { createGeneratorRunner, type GeneratorRunner } from '../generate/generator-runner.js';
import { createWorkLanes, type WorkLanes } from '../generate/work-lanes.js';
import type { PythonRuntime } from '../python/runtime.js';
import { createVariantSource, type VariantSource } from '../transfer/student-variants.js';
import type { EngineJudge } from '../verify/engine-judge.js';
import { loadGoldenExamples } from './golden-examples.js';

/** What building a bug needs from the run around it (passed down; no globals). */
export interface BuildEnvironment {
  config: ResolvedConfig;
  python: PythonRuntime;
  /** The curriculum's engine, judging every verification too (when it ships one and Python is CPython). */
  judge?: EngineJudge;
  cache: ContentCache;
  /** Student-style variants of the references, for transfer verification (shared by the bugs of one reference). */
  variants: VariantSource;
  /** The generator chain, set up once per run or watch session. */
  runner: GeneratorRunner;
  /** Bounded work: deterministic steps and LLM generators in separate lanes. */
  lanes: WorkLanes;
  goldenExamples: readonly GoldenExample[];
  /** `--force`: overwrite hand-written and hand-edited JSON, and reuse no cached result. */
  force: boolean;
  /** The run's (or one watch build's) cancellation. */
  signal?: AbortSignal;
  /** Environment for generators (API keys): the process environment over the project's .env. */
  env: RunEnv;
  /** Set per bug: whether the Python worker died on it (nothing computed then is cached). */
  pythonFailed?: () => boolean;
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
  /** Stops the run, or the watch session (generators' setup() sees it too). */
  signal?: AbortSignal;
  /** Problems that belong to no bug, e.g. a plugin's close() that threw. */
  warn?: (message: string) => void;
  /** The chain used when the config lists no generators (the API passes src/api/built-in-generators.ts). */
  builtInGenerators?: BuiltInGenerators | undefined;
}

/** The environment `build` and `watch` run bugs in, from one resolved config. Close its runner when done. */
export async function createBuildEnvironment(config: ResolvedConfig, options: BuildEnvironmentOptions): Promise<BuildEnvironment> {
  const generators = await resolveGenerators(config, { noLlm: options.noLlm, env: options.env }, options.builtInGenerators);
  return {
    config,
    python: options.python,
    ...(options.judge ? { judge: options.judge } : {}),
    cache: createContentCache(config.cacheDir),
    variants: createVariantSource(options.python),
    runner: createGeneratorRunner(generators, {
      setup: { root: config.root, cacheDir: config.cacheDir, env: options.env, ...(options.signal ? { signal: options.signal } : {}) },
      ...(config.generatorTimeoutMs !== undefined ? { timeoutMs: config.generatorTimeoutMs } : {}),
      ...(options.warn ? { warn: options.warn } : {}),
    }),
    lanes: createWorkLanes(config.concurrency),
    goldenExamples: await loadGoldenExamples(config, options.bugs),
    force: options.force ?? false,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
