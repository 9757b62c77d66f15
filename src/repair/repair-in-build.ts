import type { BugOutcome } from '../compile/bug-outcome.js';
import { createBuildEnvironment, type BuildEnvironmentOptions } from '../compile/build-environment.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { GenerationUsage, RunEnv } from '../generate/generator.js';
import { describeDraft } from '../drafts/patch-drafts.js';
import type { PatchReauthor } from '../contracts.js';
import { readStaleBug, repairBug } from './repair-bug.js';

/**
 * `repair: { inBuild: true }`: after the build, each bug whose patch rotted gets the repair tiers
 * (`refresh-patch`'s): a verified draft, re-anchored, else re-authored by the LLM unless
 * `noLlm` (or no key). Drafts are verified with the deterministic generators only.
 * Returns what the LLM re-author used, for the summary.
 */
export async function repairRottedBugs(
  config: ResolvedConfig,
  outcomes: readonly BugOutcome[],
  options: Omit<BuildEnvironmentOptions, 'noLlm'> & { noLlm: boolean; say: (line: string) => void; loadReauthor: (config: ResolvedConfig, env: RunEnv) => Promise<PatchReauthor> },
): Promise<GenerationUsage | undefined> {
  const rotted = outcomes.filter((o) => o.status === 'failed' && o.patchRotted);
  if (rotted.length === 0) return undefined;
  const env = await createBuildEnvironment(config, { ...options, noLlm: true });
  let reauthor: PatchReauthor | undefined;
  if (!options.noLlm) {
    const candidate = await options.loadReauthor(config, options.env);
    if (candidate.available().ok) reauthor = candidate;
  }
  try {
    for (const outcome of rotted) {
      if (options.signal?.aborted) break;
      const stale = await readStaleBug(outcome.bug, env, outcome.reason ?? 'its patch no longer applies');
      if (!stale) continue;
      const repaired = await repairBug(stale, env, reauthor).catch((err: unknown) => {
        if (err instanceof InputError) return { status: 'failed' as const, reasons: [err.reason] };
        throw err;
      });
      const label = relativeToRoot(config, outcome.bug.patchFile);
      if (repaired.status === 'drafted') options.say(`✎ ${outcome.bug.id}: draft ${relativeToRoot(config, repaired.draft.file)}: ${describeDraft(repaired.draft.provenance)}`);
      else options.say(`· ${outcome.bug.id}: no draft for ${label}: ${repaired.reasons.join('; ')}`);
    }
  } finally {
    await env.runner.close();
  }
  return reauthor?.usage();
}
