import type { BugOutcome } from '../build/bug-outcome.js';
import type { BuildRun } from '../build/run-build.js';
import { describeBackend } from './format-python-report.js';

export function formatOutcomeLine(outcome: BugOutcome): string {
  const mark = outcome.status === 'failed' ? '✖' : outcome.status === 'manual' && outcome.verdict !== 'exact' ? '•' : '✔';
  const generator = outcome.generator ?? '-';
  const verdict = outcome.status === 'failed' ? (outcome.verdict ?? 'failed') : (outcome.verdict ?? '');
  const notes: string[] = [];
  if (outcome.status === 'up-to-date') notes.push('up to date');
  if (outcome.status === 'manual') notes.push('hand-written, kept');
  if (outcome.status === 'built' && !outcome.written) notes.push('unchanged');
  if (outcome.snippet) notes.push('snippet mode');
  if (outcome.model) notes.push(outcome.model);
  const head = `${mark} ${outcome.bug.id.padEnd(44)} ${generator.padEnd(7)} ${verdict.padEnd(9)} ${String(outcome.ms).padStart(6)} ms`;
  const tail = notes.length ? `  (${notes.join(', ')})` : '';
  const reason = outcome.status === 'failed' || (outcome.status === 'built' && outcome.reason) ? `\n    ${outcome.reason ?? ''}` : '';
  return `${head}${tail}${reason}`;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The migration guide's summary: totals, success rate, time, and what needs an author. */
export function formatBuildSummary(run: BuildRun, options: { llmSkipped?: boolean } = {}): string {
  const total = run.outcomes.length;
  const failed = run.outcomes.filter((o) => o.status === 'failed');
  const manual = run.outcomes.filter((o) => o.status === 'manual');
  const generated = run.outcomes.filter((o) => o.status === 'built' || o.status === 'up-to-date');
  const successful = total - failed.length;
  const rate = total === 0 ? 100 : Math.round((successful / total) * 1000) / 10;
  const lines = [
    '',
    '─'.repeat(60),
    'BUILD SUMMARY',
    '─'.repeat(60),
    `Total patches:  ${total}`,
    `Successful:     ${successful}  (${generated.length} generated exact, ${manual.length} hand-written kept)`,
    `Failed:         ${failed.length}`,
    `Success rate:   ${rate}%`,
    `Time taken:     ${formatSeconds(run.ms)}  (Python: ${run.python ? describeBackend(run.python) : 'not needed'})`,
    `LLM:            ${run.usage.calls} calls (${run.usage.cachedCalls} from cache), ${run.usage.promptTokens + run.usage.completionTokens} tokens, est. $${run.usage.costUsd.toFixed(4)}${options.llmSkipped ? '  (skipped: --no-llm)' : ''}`,
  ];
  const differing = manual.filter((o) => o.verdict === 'differs');
  if (differing.length) {
    lines.push('', `Hand-written JSON that does not inject the patched code exactly (${differing.length}):`);
    for (const o of differing) lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}`);
  }
  const authoring = failed.filter((o) => o.needsAuthoring !== false && !o.inputFile);
  if (authoring.length) {
    lines.push('', `Bugs needing the LLM generator or manual authoring (${authoring.length}):`);
    for (const o of authoring) {
      lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}`);
      if (o.draftFile) lines.push(`      draft for review: ${o.draftFile}`);
    }
    const hint = authoring.find((o) => o.hint)?.hint;
    if (hint) lines.push(`  hint: ${hint}`);
  }
  const broken = failed.filter((o) => !authoring.includes(o));
  if (broken.length) {
    lines.push('', `Bugs with input or output errors (${broken.length}):`);
    for (const o of broken) lines.push(`  - ${o.bug.id}: ${o.reason ?? ''}${o.hint ? `\n      ${o.hint}` : ''}`);
  }
  return lines.join('\n');
}
