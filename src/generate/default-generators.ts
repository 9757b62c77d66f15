import type { LlmSettings } from '../config/define-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { GeneratorPlugin, RunEnv } from './generator.js';

export interface GeneratorChoice {
  /** Leave out LLM generators (`--no-llm`). */
  noLlm: boolean;
  env: RunEnv;
}

/** LLM-backed generators, by name, so `--no-llm` can skip them in any chain. */
export const LLM_GENERATOR_NAMES = new Set(['openai']);

/** The config's generators, else the built-in chain: synth (offline), then openai. Loaded lazily. */
export async function resolveGenerators(config: ResolvedConfig, choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const chain = config.generators ?? (await builtInChain(config.llm, choice));
  return choice.noLlm ? chain.filter((g) => !LLM_GENERATOR_NAMES.has(g.name)) : chain;
}

async function builtInChain(llm: LlmSettings, choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const { synthGenerator } = await import('../../plugins/synth/index.js');
  if (choice.noLlm) return [synthGenerator()];
  const { openaiGenerator } = await import('../../plugins/openai/index.js');
  const baseURL = llm.baseURL ?? choice.env.OPENAI_BASE_URL;
  return [synthGenerator(), openaiGenerator({ ...llm, ...(baseURL ? { baseURL } : {}), env: choice.env })];
}
