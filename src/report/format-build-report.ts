import type { BugOutcome, BuildRun } from '../contracts.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { describeWrongVariants } from './describe-transfer.js';
import { describeBackend } from './format-python-report.js';

export function formatOutcomeLine(outcome: BugOutcome): string {
  const mark = outcome.status === 'failed' ? '✖' : outcome.status === 'manual' && outcome.verdict !== 'exact' ? '•' : '✔';
  const generator = outcome.generator ?? '-';
  const verdict = outcome.status === 'failed' ? (outcome.verdict ?? 'failed') : outcome.status === 'patch-only' ? 'applies' : (outcome.verdict ?? '');
  const notes: string[] = [];
  if (outcome.status === 'up-to-date') notes.push('up to date');
  if (outcome.status === 'manual') notes.push('hand-written, kept');
  if (outcome.status === 'patch-only') notes.push("patch-only: served by the engine's patch path");
  if (outcome.status === 'built' && !outcome.written) notes.push('unchanged');
  if (outcome.snippet) notes.push('snippet mode');
  if (outcome.notCrossChecked) notes.push('not cross-checked');
  if (outcome.model) notes.push(outcome.model);
  if (outcome.transfer?.referenceBound) notes.push(`reference-bound: ${outcome.transfer.referenceBound.join(', ')}`);
  notes.push(...(outcome.patchNotes ?? []));
  const head = `${mark} ${outcome.bug.id.padEnd(44)} ${generator.padEnd(7)} ${verdict.padEnd(9)} ${transferColumn(outcome).padEnd(22)} ${String(outcome.ms).padStart(6)} ms`;
  const tail = notes.length ? `  (${notes.join(', ')})` : '';
  const reason = outcome.status === 'failed' || ((outcome.status === 'built' || outcome.status === 'patch-only' || outcome.status === 'up-to-date') && outcome.reason) ? `\n    ${outcome.reason ?? ''}` : '';
  // A definition that injects something else into student-style code gets its reasons on the line below.
  const wrong = outcome.transfer?.worst === 'wrong' ? `\n    injects something else into student-style code: ${describeWrongVariants(outcome.transfer)}` : '';
  return `${head}${tail}${reason}${wrong}`;
}

/** `transfer 6/6`, `transfer 3/6 no-match`, `transfer 2/6 WRONG`, or blank when not measured. */
export function transferColumn(outcome: Pick<BugOutcome, 'transfer'>): string {
  const t = outcome.transfer;
  if (!t) return '';
  const worst = t.worst === 'exact' ? '' : t.worst === 'wrong' ? ' WRONG' : ' no-match';
  return `transfer ${t.exact}/${t.total}${worst}`;
}

/** How the exact definitions do on student-style variants: counts, then the ones to look at. */
function transferSummary(outcomes: readonly BugOutcome[], root: string): string[] {
  const measured = outcomes.filter((o) => o.status !== 'failed' && o.transfer);
  if (measured.length === 0) return [];
  const everywhere = measured.filter((o) => o.transfer!.worst === 'exact');
  const loud = measured.filter((o) => o.transfer!.worst === 'no-match');
  const wrong = measured.filter((o) => o.transfer!.worst === 'wrong');
  const bound = measured.filter((o) => o.transfer!.referenceBound);
  const lines = [
    `Transfer:       ${everywhere.length} of ${measured.length} exact definitions inject exactly into every student-style variant; ` +
      `${loud.length} fail loudly on some (${bound.length} reference-bound); ${wrong.length} inject something else`,
  ];
  if (bound.length) {
    lines.push('', `Reference-bound definitions: their replacement writes the reference's own names, so they fail loudly (no match) for students who named things differently (${bound.length}):`);
    for (const o of bound) lines.push(`  - ${o.bug.id}: ${o.transfer!.referenceBound!.map((n) => `\`${n}\``).join(', ')}`);
  }
  if (wrong.length) {
    lines.push('', `Definitions that inject something else into student-style code (${wrong.length}):`);
    for (const o of wrong) {
      lines.push(`  - ${o.bug.id}${o.status === 'manual' ? ' (hand-written)' : ''}: ${describeWrongVariants(o.transfer) || 'see `bug-author check`'}`);
    }
    const handWritten = wrong.filter((o) => o.status === 'manual');
    if (handWritten.length) {
      lines.push(`  hint: hand-written JSON is never replaced on its own; to have it regenerated (pinned to its function where v2.1 allows), run`);
      lines.push(`      bug-author build --force ${handWritten.map((o) => relativeToRoot({ root }, o.bug.patchFile)).join(' ')}`);
    }
  }
  return lines;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The migration guide's summary: totals, success rate, time, and what needs an author. */
export function formatBuildSummary(run: BuildRun, options: { llmSkipped?: boolean; root?: string } = {}): string {
  const total = run.outcomes.length;
  const failed = run.outcomes.filter((o) => o.status === 'failed');
  const manual = run.outcomes.filter((o) => o.status === 'manual');
  const patchOnly = run.outcomes.filter((o) => o.status === 'patch-only');
  const generated = run.outcomes.filter((o) => o.status === 'built' || o.status === 'up-to-date');
  const successful = total - failed.length;
  const rate = total === 0 ? 100 : Math.round((successful / total) * 1000) / 10;
  const lines = [
    '',
    '─'.repeat(60),
    'BUILD SUMMARY',
    '─'.repeat(60),
    `Total patches:  ${total}`,
    `Successful:     ${successful}  (${generated.length} generated exact, ${manual.length} hand-written kept${patchOnly.length ? `, ${patchOnly.length} patch-only` : ''})`,
    `Failed:         ${failed.length}`,
    `Success rate:   ${rate}%`,
    `Time taken:     ${formatSeconds(run.ms)}  (Python: ${run.python ? describeBackend(run.python) : 'not needed'})`,
    `LLM:            ${run.usage.calls} calls (${run.usage.failedCalls ? `${run.usage.failedCalls} failed, ` : ''}${run.usage.cachedCalls} from cache), ${run.usage.promptTokens + run.usage.completionTokens} tokens, est. $${run.usage.costUsd.toFixed(4)}${options.llmSkipped ? '  (skipped: --no-llm)' : ''}`,
  ];
  lines.push(...transferSummary(run.outcomes, options.root ?? ''));
  const differing = manual.filter((o) => o.verdict === 'differs');
  if (differing.length) {
    lines.push('', `Hand-written JSON that does not inject the patched code exactly (${differing.length}):`);
    for (const o of differing) lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}`);
  }
  if (patchOnly.length) {
    lines.push('', `Patch-only, accepted in patchOnly (not compiled; the engine applies the patch to the reference) (${patchOnly.length}):`);
    for (const o of patchOnly) lines.push(`  - ${o.bug.id}${o.reason ? `: ${o.reason}` : ''}`);
  }
  const stale = run.outcomes.filter((o) => o.status !== 'failed' && o.patchNotes?.length);
  if (stale.length) {
    lines.push('', `Patches applied leniently (refresh them with \`bug-author refresh-patch\`) (${stale.length}):`);
    for (const o of stale) lines.push(`  - ${o.bug.id}: ${o.patchNotes!.join('; ')}`);
  }
  const authoring = failed.filter((o) => o.needsAuthoring !== false && !o.inputFile);
  if (authoring.length) {
    lines.push('', `Bugs needing the LLM generator or manual authoring (${authoring.length}):`);
    for (const o of authoring) {
      lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}`);
      if (o.draftFile) lines.push(`      draft for review: ${options.root ? relativeToRoot({ root: options.root }, o.draftFile) : o.draftFile}`);
    }
    const hint = authoring.find((o) => o.hint)?.hint;
    if (hint) lines.push(`  hint: ${hint}`);
    const inexpressible = authoring.filter((o) => o.inexpressible);
    if (inexpressible.length) {
      lines.push(`  hint: v2.1 cannot express ${inexpressible.length === authoring.length ? 'these' : `${inexpressible.length} of these`}; to serve ${inexpressible.length === 1 ? 'it' : 'them'} through the engine's patch path instead, accept ${inexpressible.length === 1 ? 'it' : 'them'} in the config:`);
      lines.push(`      patchOnly: [${inexpressible.map((o) => `'${relativeToRoot({ root: options.root ?? '' }, o.bug.patchFile)}'`).join(', ')}],`);
    }
  }
  const broken = failed.filter((o) => !authoring.includes(o));
  if (broken.length) {
    lines.push('', `Bugs with input or output errors (${broken.length}):`);
    for (const o of broken) lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}${o.hint ? `\n      ${o.hint}` : ''}`);
    const rotted = broken.filter((o) => o.patchRotted);
    if (rotted.length) {
      const these = rotted.length === broken.length ? (rotted.length === 1 ? 'this patch no longer applies' : 'these patches no longer apply') : `${rotted.length} of these patches no longer ${rotted.length === 1 ? 'applies' : 'apply'}`;
      lines.push(`  hint: ${these} to today's reference; \`bug-author refresh-patch\` drafts a repair of each for review (re-anchored where the code is still there up to formatting or renamed locals; \`--reauthor\` asks the LLM), and what it cannot repair has to be re-authored by hand:`);
      lines.push(`      bug-author refresh-patch ${rotted.map((o) => relativeToRoot({ root: options.root ?? '' }, o.bug.patchFile)).join(' ')}`);
    }
  }
  return lines.join('\n');
}
