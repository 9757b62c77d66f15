import type { ResolvedConfig } from '../config/resolved-config.js';

/** The built-in LLM generator's per-request timeout over the config's `llm.timeoutMs`. */
export function withLlmTimeout(config: ResolvedConfig, timeoutMs: number): ResolvedConfig {
  return { ...config, llm: { ...config.llm, timeoutMs } };
}
