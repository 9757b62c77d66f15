import type { GeneratorKind, GeneratorPlugin } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { BugContext, GoldenExample, GenerationUsage, RunEnv, GeneratorContext, GeneratorResult, GeneratorKind, Availability, PluginSetupContext, GeneratorPlugin } from '../contracts.js';

export function kindOf(plugin: Pick<GeneratorPlugin, 'kind'>): GeneratorKind {
  return plugin.kind ?? 'deterministic';
}
