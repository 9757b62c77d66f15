import type { ResolvedConfig } from '../config/resolved-config.js';
import type { RunEnv } from '../generate/generator.js';
import type { PatchReauthor } from '../contracts.js';

/** The built-in LLM re-author (plugins/openai), with the config's `llm` settings; loaded only when asked for. Composition: which plugin that is is decided here, at the top. */
export async function loadPatchReauthor(config: ResolvedConfig, env: RunEnv): Promise<PatchReauthor> {
  const { openaiPatchReauthor } = await import('../../plugins/openai/patch-reauthor.js');
  const { llm } = config;
  const baseURL = llm.baseURL ?? env.OPENAI_BASE_URL;
  return openaiPatchReauthor({ ...llm, ...(baseURL ? { baseURL } : {}), env });
}
