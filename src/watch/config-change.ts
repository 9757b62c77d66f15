import { stableStringify } from '../cache/hash.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { GeneratorPlugin, GoldenExample } from '../generate/generator.js';

/** What a config edit changed, by the work it calls for. */
export interface ConfigChange {
  /** Where bugs, inputs, outputs or the cache are: every bug is looked at again. */
  project: boolean;
  /** The generator chain or its settings: running generations restart with the new chain. */
  generators: boolean;
  golden: boolean;
  concurrency: boolean;
  /** Reporters are objects made by the config: a reload always brings new ones. */
  reporters: boolean;
}

/** Handled without touching bugs or generators; anything not named here (new options too) counts as `project`. */
const LIGHT_KEYS = new Set(['file', 'generators', 'llm', 'generatorTimeoutMs', 'golden', 'concurrency', 'reporters']);

export function compareConfigs(before: ResolvedConfig, after: ResolvedConfig, goldenExamples: readonly GoldenExample[]): ConfigChange {
  const projectPart = (config: ResolvedConfig) => stableStringify(Object.fromEntries(Object.entries(config).filter(([key]) => !LIGHT_KEYS.has(key))));
  return {
    project: projectPart(before) !== projectPart(after),
    generators: !sameChain(before, after, goldenExamples),
    golden: stableStringify(before.golden ?? null) !== stableStringify(after.golden ?? null),
    concurrency: before.concurrency !== after.concurrency,
    reporters: before.reporters.length > 0 || after.reporters.length > 0,
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
  // Own properties: hooks by their code, the rest (name, kind, timeoutMs…) by value.
  const own = Object.fromEntries(Object.entries(plugin).map(([k, v]) => [k, typeof v === 'function' ? String(v) : v]));
  return { own, settings };
}
