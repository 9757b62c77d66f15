import type { ResolvedConfig } from '../config/resolved-config.js';
import type { GeneratorPlugin } from './generator.js';

export interface GeneratorChoice {
  /** Leave out LLM generators (`--no-llm`). */
  noLlm: boolean;
  env: NodeJS.ProcessEnv;
}

/** LLM-backed generators, by name, so `--no-llm` can skip them in any chain. */
export const LLM_GENERATOR_NAMES = new Set(['openai']);

/** The config's generators, else the built-in chain: synth (offline), then openai. Loaded lazily. */
export async function resolveGenerators(config: ResolvedConfig, choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const chain = config.generators ?? (await builtInChain(choice));
  return choice.noLlm ? chain.filter((g) => !LLM_GENERATOR_NAMES.has(g.name)) : chain;
}

async function builtInChain(choice: GeneratorChoice): Promise<GeneratorPlugin[]> {
  const { synthGenerator } = await import('../../plugins/synth/index.js');
  if (choice.noLlm) return [synthGenerator()];
  const { openaiGenerator } = await import('../../plugins/openai/index.js');
  return [
    synthGenerator(),
    openaiGenerator({
      ...(choice.env.OPENAI_API_KEY ? { apiKey: choice.env.OPENAI_API_KEY } : {}),
      ...(choice.env.OPENAI_BASE_URL ? { baseURL: choice.env.OPENAI_BASE_URL } : {}),
    }),
  ];
}
