import type { BugDefinition } from '../injector/definition.js';
import type { PyNode } from '../python/tree.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { Verification } from '../verify/verify-definition.js';

/** Everything known about one bug once its patch has been applied. */
export interface BugContext {
  /** `<module>/<name>`, e.g. `softmax/no_subtract_max`. */
  id: string;
  name: string;
  module: string;
  /** Paths relative to the project root. */
  patchFile: string;
  patchText: string;
  symptomFile?: string;
  symptom?: string;
  /** The reference file the patch targets (relative), absent in snippet mode. */
  referenceFile?: string;
  /** The patch's header path, e.g. `cs336_basics/layers.py`. */
  targetPath: string;
  referenceSource: string;
  patchedSource: string;
  beforeTree: PyNode;
  afterTree: PyNode;
  /** True when no reference file resolved and before/after come from the hunks alone. */
  snippet: boolean;
  /** Names of the functions (innermost `def`) whose lines the patch changes, in file order. */
  changedFunctions: string[];
}

export interface GoldenExample {
  file: string;
  definition: BugDefinition;
  patchText?: string;
  symptom?: string;
}

export interface GenerationUsage {
  /** Requests sent, failed ones included. */
  calls: number;
  /** Of those, the ones that brought no usable answer (timeouts, 5xx, garbage). */
  failedCalls?: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** Environment variables as the run sees them (process environment over the project's .env). */
export type RunEnv = Readonly<Record<string, string | undefined>>;

export interface GeneratorContext {
  python: PythonRuntime;
  /** Verifies a candidate against this bug's full patched reference (same injector as the engine). */
  verify(definition: unknown): Promise<Verification>;
  /** Project root and cache directory (absolute). */
  root: string;
  cacheDir: string;
  goldenExamples: readonly GoldenExample[];
  /** Fires when the run is cancelled or this generator's time for the bug is up: stop and return. */
  signal?: AbortSignal;
  env: RunEnv;
  /** `--force`: answer nothing from the plugin's own caches; generate afresh. */
  fresh?: boolean;
}

export type GeneratorResult =
  | { status: 'generated'; definition: BugDefinition; verification: Verification; model?: string; usage?: GenerationUsage }
  /** The generator knows this edit is outside what it (or v2.1) can express; `reason` says precisely why. */
  | { status: 'unsupported'; reason: string; usage?: GenerationUsage }
  /** It tried and did not reach `exact`; a best `differs` candidate may come along as a draft. */
  | { status: 'failed'; reason: string; draft?: { definition: BugDefinition; verification: Verification }; usage?: GenerationUsage;
      /** Stops all further work of this generator (e.g. a rejected API key); never cached. */
      fatal?: boolean;
      /** A passing failure (timeout, server error): not cached, so the next run tries again. */
      retryable?: boolean;
      /** The stack of what the plugin threw (shown with `--verbose`). */
      stack?: string };

/**
 * What a generator is, which decides how the run treats it: `llm` generators are skipped by
 * `--no-llm`, counted in the cost summary and run in their own lane (a slow server never holds
 * the slots of deterministic work); `deterministic` ones compute the definition offline;
 * `manual` ones bring definitions a person wrote (another store, a course's house rules).
 */
export type GeneratorKind = 'llm' | 'deterministic' | 'manual';

export type Availability = { ok: true } | { ok: false; reason: string; hint?: string };

/** What `setup()` gets: the run around the plugin, once per run or watch session. */
export interface PluginSetupContext {
  /** Project root and cache directory (absolute). */
  root: string;
  cacheDir: string;
  /** The process environment over the project's `.env` (API keys, base URLs). */
  env: RunEnv;
  /** Fires when the run (or the watch session) is stopped. */
  signal?: AbortSignal;
}

/**
 * A generator plugin: a small object with named hooks, tried in config order until one yields
 * `exact`. Only `name` and `generate` are required. Whatever a hook throws (or a promise it
 * rejects with) fails that bug with the plugin's name, and the run goes on.
 */
export interface GeneratorPlugin {
  name: string;
  /** Default `'deterministic'`. */
  kind?: GeneratorKind;
  /** Longest time one `generate()` may take for one bug before it counts as failed (default: config `generatorTimeoutMs`). */
  timeoutMs?: number;
  /** Settings that change what this generator produces (model, temperature, prompt…): part of cache keys. */
  settingsKey?(goldenExamples?: readonly GoldenExample[]): string;
  /** Once per run or watch session, before the first `generate()`: read the environment, create clients. */
  setup?(context: PluginSetupContext): void | Promise<void>;
  /** Whether it can run at all (checked after `setup`); the reason is shown when it cannot. */
  available?(): Availability;
  generate(bug: BugContext, context: GeneratorContext): Promise<GeneratorResult>;
  /** Totals for the run summary (calls, tokens, cost). */
  usage?(): GenerationUsage;
  /** When the run ends, the watch stops or the config reloads (only after `setup` ran). */
  close?(): void | Promise<void>;
}

export function kindOf(plugin: Pick<GeneratorPlugin, 'kind'>): GeneratorKind {
  return plugin.kind ?? 'deterministic';
}
