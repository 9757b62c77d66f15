import type { LlmSettings } from '../config/define-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { kindOf, type GeneratorPlugin, type RunEnv } from './generator.js';

export interface GeneratorChoice {
  /** Leave out every `kind: 'llm'` generator (`--no-llm`), whatever its name. */
  noLlm: boolean;
  env: RunEnv;
}

/**
 * The chain used when the config lists no generators. Which plugins that is is decided at the
 * top (src/api/built-in-generators.ts), which hands it down: generate/ knows no plugin.
 */
export type BuiltInGenerators = (llm: LlmSettings, choice: GeneratorChoice) => Promise<GeneratorPlugin[]>;

/** The config's generators, else the built-in chain. */
export async function resolveGenerators(config: ResolvedConfig, choice: GeneratorChoice, builtIn: BuiltInGenerators | undefined): Promise<GeneratorPlugin[]> {
  if (!config.generators && !builtIn) throw new Error('the config lists no generators and no built-in chain was given');
  const chain = config.generators ?? (await builtIn!(config.llm, choice));
  return choice.noLlm ? chain.filter((g) => kindOf(g) !== 'llm') : chain;
}
