import type { GenerationUsage } from './generator.js';

export function emptyUsage(): GenerationUsage {
  return { calls: 0, failedCalls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
}

/** Adds `more` into `total` (in place) and returns it. */
export function addUsage(total: GenerationUsage, more: GenerationUsage): GenerationUsage {
  total.calls += more.calls;
  total.failedCalls = (total.failedCalls ?? 0) + (more.failedCalls ?? 0);
  total.cachedCalls += more.cachedCalls;
  total.promptTokens += more.promptTokens;
  total.completionTokens += more.completionTokens;
  total.costUsd += more.costUsd;
  return total;
}
