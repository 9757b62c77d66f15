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
  calls: number;
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
  signal?: AbortSignal;
  env: RunEnv;
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
      retryable?: boolean };

/** A generator plugin: a small object with named hooks, tried in config order until one yields `exact`. */
export interface GeneratorPlugin {
  name: string;
  /** Settings that change what this generator produces (model, temperature, prompt…): part of cache keys. */
  settingsKey?(goldenExamples?: readonly GoldenExample[]): string;
  /** Whether it can run at all here (e.g. an API key is present); the reason is shown when it cannot. */
  available?(env: RunEnv): { ok: true } | { ok: false; reason: string; hint?: string };
  generate(bug: BugContext, context: GeneratorContext): Promise<GeneratorResult>;
  /** Totals for the run summary (calls, tokens, cost). */
  usage?(): GenerationUsage;
}
