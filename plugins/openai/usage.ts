import type { GenerationUsage } from '../../src/plugin-kit.js';
import type { ModelPrice } from './options.js';

export { addUsage, emptyUsage } from '../../src/plugin-kit.js';

/**
 * One ask: `requests` HTTP requests were sent (the SDK's own retries included), the last of
 * them answered when `answer` is given. Cached calls cost nothing and are counted apart.
 * Unknown models cost 0.
 */
export function askUsage(price: ModelPrice | undefined, requests: number, answer?: { promptTokens: number; completionTokens: number }): GenerationUsage {
  const promptTokens = answer?.promptTokens ?? 0;
  const completionTokens = answer?.completionTokens ?? 0;
  const costUsd = price ? (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000 : 0;
  return { calls: requests, failedCalls: answer ? Math.max(0, requests - 1) : requests, cachedCalls: 0, promptTokens, completionTokens, costUsd };
}
