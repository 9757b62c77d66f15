import type { BuiltInGenerators } from '../generate/default-generators.js';

/** The generators of a config that lists none: synth (offline), then openai. Loaded lazily. */
export const builtInGenerators: BuiltInGenerators = async (llm, choice) => {
  const { synthGenerator } = await import('../../plugins/synth/index.js');
  if (choice.noLlm) return [synthGenerator()];
  const { openaiGenerator } = await import('../../plugins/openai/index.js');
  const baseURL = llm.baseURL ?? choice.env.OPENAI_BASE_URL;
  return [synthGenerator(), openaiGenerator({ ...llm, ...(baseURL ? { baseURL } : {}), env: choice.env })];
};
