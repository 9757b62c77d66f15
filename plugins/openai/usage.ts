import type { GenerationUsage } from '../../src/generate/generator.js';
import type { ModelPrice } from './options.js';

export function emptyUsage(): GenerationUsage {
  return { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

/** Cost of one real call; cached calls cost nothing and are counted apart. Unknown models cost 0. */
export function callUsage(price: ModelPrice | undefined, promptTokens: number, completionTokens: number): GenerationUsage {
  const costUsd = price ? (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000 : 0;
  return { calls: 1, cachedCalls: 0, promptTokens, completionTokens, costUsd };
}

export function addUsage(total: GenerationUsage, more: GenerationUsage): void {
  total.calls += more.calls;
  total.cachedCalls += more.cachedCalls;
  total.promptTokens += more.promptTokens;
  total.completionTokens += more.completionTokens;
  total.costUsd += more.costUsd;
}
