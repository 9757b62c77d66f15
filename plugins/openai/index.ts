export { openaiGenerator, type OpenAIGeneratorPlugin } from './openai-generator.js';
export { DEFAULT_PRICES, type ModelPrice, type OpenAIGeneratorOptions } from './options.js';
export { PROMPT_VERSION } from './prompt.js';
