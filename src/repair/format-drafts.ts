import type { GenerationUsage } from '../generate/generator.js';
import type { SettledJson } from './accept-draft.js';
import { describeDraft, type PatchDraft } from '../drafts/patch-drafts.js';

/** The drafts waiting for review, for build's summary: one line each with the command that accepts it. */
export function formatDraftList(drafts: readonly PatchDraft[], stale: ReadonlySet<PatchDraft> = new Set()): string[] {
  if (drafts.length === 0) return [];
  const lines = ['', `Drafts of rotted patches waiting for review (${drafts.length}) — see .bug-author/drafts/, accept with \`bug-author refresh-patch --accept <bug>\`:`];
  for (const d of drafts) {
    lines.push(`  - ${d.provenance.bug}: ${describeDraft(d.provenance)}${stale.has(d) ? ' (stale: its patch or reference changed since; run `bug-author refresh-patch` again)' : ''}`);
  }
  return lines;
}

/** The LLM line of a repair run: requests, cache hits, tokens, cost. */
export function formatLlmUsage(usage: GenerationUsage): string {
  return `LLM: ${usage.calls} calls (${usage.failedCalls ? `${usage.failedCalls} failed, ` : ''}${usage.cachedCalls} from cache), ${usage.promptTokens + usage.completionTokens} tokens, est. $${usage.costUsd.toFixed(4)}`;
}

/** The review document's section on drafts: each old patch and its proposed replacement, side by side in order. */
export function formatDraftReview(drafts: readonly { draft: PatchDraft; oldText: string | undefined; stale: boolean }[]): string {
  if (drafts.length === 0) return '';
  const out = ['', '## Drafts of rotted patches', '', 'Each draft replaces its patch only when accepted: `bug-author refresh-patch --accept <bug>`.', ''];
  for (const { draft, oldText, stale } of drafts) {
    const p = draft.provenance;
    out.push(`### ${p.bug}`, '', `- patch: \`${p.patch}\``, `- draft: ${describeDraft(p)}${stale ? ' — **stale**: the patch or reference changed since; run `bug-author refresh-patch` again' : ''}`);
    for (const note of p.notes) out.push(`- ${note}`);
    out.push('- [ ] same bug as intended?', '- [ ] ready to accept?', '', '**Old patch**', '', '```diff', (oldText ?? '(missing)').trimEnd(), '```', '', '**Draft**', '', '```diff', draft.text.trimEnd(), '```', '');
  }
  return `${out.join('\n')}\n`;
}

/** One line on what accepting a draft did with the hand-written JSON beside its patch (undefined when there was none). */
export function describeSettledJson(settled: SettledJson): string | undefined {
  if (settled.state === 'none') return undefined;
  if (settled.state === 'kept') {
    const t = settled.verification.transfer;
    return `its hand-written JSON ${settled.json} still injects the accepted patch exactly${t ? ` (transfer ${t.exact}/${t.total})` : ''}: kept`;
  }
  return `its hand-written JSON ${settled.json} was made for the old patch (against the accepted one: ${settled.why}): retired to ${settled.to}`;
}
