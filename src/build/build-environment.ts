import { createContentCache, type ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { resolveGenerators } from '../generate/default-generators.js';
import type { GeneratorPlugin, GoldenExample, RunEnv } from '../generate/generator.js';
import type { PythonRuntime } from '../python/runtime.js';
import { createVariantSource, type VariantSource } from '../transfer/student-variants.js';
import { loadGoldenExamples } from './golden-examples.js';

/** What building a bug needs from the run around it (passed down; no globals). */
export interface BuildEnvironment {
  config: ResolvedConfig;
  python: PythonRuntime;
  cache: ContentCache;
  /** Student-style variants of the references, for transfer verification (shared by the bugs of one reference). */
  variants: VariantSource;
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
    cache: createContentCache(config.cacheDir),
    variants: createVariantSource(options.python),
    generators: await resolveGenerators(config, { noLlm: options.noLlm, env: options.env }),
    goldenExamples: await loadGoldenExamples(config, options.bugs),
    force: options.force ?? false,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
