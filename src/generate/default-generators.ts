import type { LlmSettings } from '../config/define-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { kindOf, type GeneratorPlugin, type RunEnv } from './generator.js';

export interface GeneratorChoice {
  /** Leave out every `kind: 'llm'` generator (`--no-llm`), whatever its name. */
  noLlm: boolean;
  env: RunEnv;
}

/** The config's generators, else the built-in chain: synth (offline), then openai. Loaded lazily. */
export async function resolveGenerators(config: ResolvedConfig, choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const chain = config.generators ?? (await builtInChain(config.llm, choice));
  return choice.noLlm ? chain.filter((g) => kindOf(g) !== 'llm') : chain;
}

async function builtInChain(llm: LlmSettings, choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const { synthGenerator } = await import('../../plugins/synth/index.js');
  if (choice.noLlm) return [synthGenerator()];
  const { openaiGenerator } = await import('../../plugins/openai/index.js');
  const baseURL = llm.baseURL ?? choice.env.OPENAI_BASE_URL;
  return [synthGenerator(), openaiGenerator({ ...llm, ...(baseURL ? { baseURL } : {}), env: choice.env })];
}
