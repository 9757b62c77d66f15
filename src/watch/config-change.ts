import { stableStringify } from '../cache/hash.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { GeneratorPlugin, GoldenExample, RunEnv } from '../generate/generator.js';
import type { PythonRuntime } from '../python/runtime.js';

/** What a config edit changed, by the work it calls for. */
export interface ConfigChange {
  /** Where bugs, inputs, outputs or the cache are: every bug is looked at again. */
  project: boolean;
  /** The generator chain or its settings: running generations restart with the new chain. */
  generators: boolean;
  golden: boolean;
  concurrency: boolean;
  /** Reporters are objects made by the config: a reload brings new ones, changed when their names or code are. */
  reporters: boolean;
  /** The project's .env (API keys, base URLs): generators are set up again with it, like a new chain. */
  env: boolean;
  /** Another Python (BUG_AUTHOR_PYTHON in .env): everything built from it is set up again, like a new chain. */
  python: boolean;
}

/** What a config load yields that its edits can change (see LoadedConfig). */
export interface ConfigInForce {
  config: ResolvedConfig;
  runEnv: RunEnv;
  python: PythonRuntime;
}

/** Handled without touching bugs or generators; anything not named here (new options too) counts as `project`. */
const LIGHT_KEYS = new Set(['file', 'imports', 'generators', 'llm', 'generatorTimeoutMs', 'golden', 'concurrency', 'reporters']);

export function compareConfigs(previous: ConfigInForce, next: ConfigInForce, goldenExamples: readonly GoldenExample[]): ConfigChange {
  const [before, after] = [previous.config, next.config];
  const projectPart = (config: ResolvedConfig) => stableStringify(Object.fromEntries(Object.entries(config).filter(([key]) => !LIGHT_KEYS.has(key))));
  return {
    project: projectPart(before) !== projectPart(after),
    generators: !sameChain(before, after, goldenExamples),
    golden: stableStringify(before.golden ?? null) !== stableStringify(after.golden ?? null),
    concurrency: before.concurrency !== after.concurrency,
    reporters: reportersSignature(before) !== reportersSignature(after),
    env: stableStringify(previous.runEnv) !== stableStringify(next.runEnv),
    python: previous.python !== next.python,
  };
}

export function describeChange(change: ConfigChange): string[] {
  return (Object.keys(change) as (keyof ConfigChange)[]).filter((key) => change[key]);
}

/**
 * What makes two chains the same: names, kinds, time limits, settings keys and the code of
 * their hooks (a generator written inline in the config changes with the config). Options a
 * plugin keeps in closures and leaves out of its settings key (an API base URL) are not seen.
 */
function sameChain(before: ResolvedConfig, after: ResolvedConfig, goldenExamples: readonly GoldenExample[]): boolean {
  try {
    return chainSignature(before, goldenExamples) === chainSignature(after, goldenExamples);
  } catch {
    return false; // a plugin that cannot be described is assumed changed
  }
}

function chainSignature(config: ResolvedConfig, goldenExamples: readonly GoldenExample[]): string {
  const generators = config.generators?.map((g) => pluginSignature(g, goldenExamples)) ?? null;
  return stableStringify({ generators, llm: config.llm, timeoutMs: config.generatorTimeoutMs ?? null });
}

function pluginSignature(plugin: GeneratorPlugin, goldenExamples: readonly GoldenExample[]): unknown {
  let settings: string;
  try {
    settings = plugin.settingsKey?.(goldenExamples) ?? '';
  } catch (err) {
    settings = `settingsKey() threw: ${String(err)}`;
  }
  return { own: ownSignature(plugin), settings };
}

function reportersSignature(config: ResolvedConfig): string {
  try {
    return stableStringify(config.reporters.map(ownSignature));
  } catch (err) {
    return `unreadable: ${String(err)}`; // a reporter that cannot be described is assumed changed
  }
}

/** Own properties: hooks by their code, the rest (name, kind, timeoutMs…) by value. */
function ownSignature(plugin: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plugin).map(([k, v]) => [k, typeof v === 'function' ? String(v) : v]));
}
