import type { ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { GeneratorPlugin, GoldenExample, RunEnv } from '../generate/generator.js';
import type { PythonRuntime } from '../python/runtime.js';

/** What building a bug needs from the run around it (passed down; no globals). */
export interface BuildEnvironment {
  config: ResolvedConfig;
  python: PythonRuntime;
  cache: ContentCache;
  generators: readonly GeneratorPlugin[];
  goldenExamples: readonly GoldenExample[];
  /** Overwrite hand-written and hand-edited JSON. */
  force: boolean;
  signal?: AbortSignal;
  /** Environment for generators (API keys); default process.env. */
  env?: RunEnv;
}
