import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BugOutcome, BuildRun, TransferReport } from '../contracts.js';
import type { BugDefinition, LogicPass } from '../injector/definition.js';
import { recordedUsage } from '../outputs/provenance.js';
import { describeReviewState, reviewStateOf } from '../outputs/review-record.js';

const yes = '✅';
const no = '❌';
const review = '🤔';

/**
 * The migration guide's review document: its "Actual Results" block, then one review-template
 * entry per bug, pre-filled from what was verified automatically; the judgement calls stay 🤔.
 */
export async function formatReviewReport(run: BuildRun, root: string): Promise<string> {
  const failed = run.outcomes.filter((o) => o.status === 'failed');
  const total = run.outcomes.length;
  const rate = total ? Math.round(((total - failed.length) / total) * 1000) / 10 : 100;
  const lines = [
    '# Bug migration review',
    '',
    '## Actual Results',
    '',
    '```',
    `Total Patches: ${total}`,
    `Successful: ${total - failed.length}`,
    `Failed: ${failed.length}`,
    `Success Rate: ${rate}%`,
    '',
    `Time Taken: ${(run.ms / 1000).toFixed(1)} s`,
    `LLM: ${run.usage.calls} calls, ${run.usage.promptTokens + run.usage.completionTokens} tokens, est. $${run.usage.costUsd.toFixed(4)}`,
    'Manual Review Time: __ minutes',
    '',
    'Quality Issues: __',
    `Bugs Requiring Manual Authoring: ${failed.length}${failed.length ? ` (${failed.map((o) => o.bug.id).join(', ')})` : ''}`,
    '```',
  ];
  for (const outcome of run.outcomes) lines.push('', ...(await reviewEntry(outcome, root)));
  return `${lines.join('\n')}\n`;
}

async function reviewEntry(outcome: BugOutcome, root: string): Promise<string[]> {
  const definition = outcome.status === 'failed' ? undefined : await readDefinition(outcome.bug.outputFile);
  const exact = outcome.verdict === 'exact';
  const mark = (ok: boolean | undefined) => (ok === undefined ? review : ok ? yes : no);
  const status =
    outcome.status === 'failed'
      ? outcome.needsAuthoring === false && outcome.inputFile
        ? 'NEEDS REVISION (fix the inputs)'
        : 'MANUAL AUTHORING'
      : exact
        ? 'APPROVED / NEEDS REVISION — verified exact; confirm the pattern is not broader than intended for student code'
        : 'NEEDS REVISION';
  const notes = [
    outcome.generator ? `Generator: ${outcome.generator}${outcome.model ? ` (${outcome.model})` : ''}.` : '',
    costNote(definition),
    outcome.reason ?? '',
    ...transferNotes(outcome.transfer),
    outcome.draftFile ? `Draft for review: ${path.relative(root, outcome.draftFile)}.` : '',
    ...foldedPasses(definition?.logic ?? []),
  ].filter(Boolean);
  return [
    `## ${outcome.bug.module} - ${outcome.bug.name}`,
    '',
    `**Generated JSON:** ${outcome.status === 'failed' ? no : yes}${outcome.status === 'manual' ? ' (hand-written)' : ''}  `,
    `**Schema Valid:** ${outcome.status === 'failed' ? no : mark(outcome.verdict !== 'error')}  `,
    `**Pattern Correct:** ${outcome.status === 'failed' ? no : mark(outcome.transfer ? (outcome.transfer.worst === 'exact' ? true : outcome.transfer.worst === 'wrong' ? false : undefined) : undefined)}  `,
    `**Transformation Correct:** ${outcome.status === 'failed' ? no : mark(exact ? true : outcome.verdict === 'differs' ? undefined : false)}  `,
    `**Injection Test:** ${outcome.status === 'failed' ? no : `${mark(exact)} ${outcome.verdict ?? ''}`}  `,
    ...(outcome.transfer ? [`**Transfer to student code:** ${transferMark(outcome.transfer)} ${outcome.transfer.exact}/${outcome.transfer.total} student-style variants exact  `] : []),
    '',
    '**Notes:**',
    ...notes.map((n) => `- ${n}`),
    ...(outcome.diff ? ['', '```diff', outcome.diff.trimEnd(), '```'] : []),
    '',
    `**Status:** ${status}`,
    ...(definition ? [`**Review:** ${describeReviewState(reviewStateOf(definition))}`] : []),
  ];
}

/**
 * One note per pass, a ladder folded: consecutive find_and_track passes recording the same context
 * variables (one site read at several positions or spellings) show as one line, with the
 * reference's own reading (the last) described.
 */
function foldedPasses(logic: readonly LogicPass[]): string[] {
  const notes: string[] = [];
  for (let i = 0; i < logic.length; ) {
    const p = logic[i]!;
    const key = p.type === 'find_and_track' ? Object.keys(p.track_as ?? {}).sort().join(',') : undefined;
    let j = i + 1;
    while (key !== undefined && j < logic.length && logic[j]!.type === 'find_and_track' && Object.keys(logic[j]!.track_as ?? {}).sort().join(',') === key) j++;
    const last = logic[j - 1]!;
    notes.push(
      j - i > 1
        ? `Passes ${p.pass ?? '?'}–${last.pass ?? '?'} (find_and_track ladder, ${j - i} readings of one site; the last one wins when several match): ${last.description ?? ''}`
        : `Pass ${p.pass ?? '?'} (${p.type}${p.replacement ? `, ${p.replacement.type}` : ''}): ${p.description ?? ''}`,
    );
    i = j;
  }
  return notes;
}

/** What the LLM generation that produced the JSON used, as its provenance records it. */
function costNote(definition: BugDefinition | undefined): string {
  const { usage } = definition ? recordedUsage(definition) : {};
  if (!usage) return '';
  const cached = usage.cached_calls ? `, ${usage.cached_calls} answered from the cache` : '';
  return `Cost: $${usage.cost_usd.toFixed(4)} (${usage.calls} LLM call${usage.calls === 1 ? '' : 's'}${cached}, ${usage.prompt_tokens + usage.completion_tokens} tokens).`;
}

function transferMark(transfer: TransferReport): string {
  return transfer.worst === 'exact' ? yes : transfer.worst === 'wrong' ? no : review;
}

/** Per variant that is not exact, what happened; reference-bound names. */
function transferNotes(transfer: TransferReport | undefined): string[] {
  if (!transfer) return [];
  const notes = transfer.variants
    .filter((v) => v.outcome !== 'exact')
    .map((v) => `Transfer, ${v.kind} variant: ${v.outcome === 'wrong' ? 'WRONG — injects something else' : 'no match (the engine reports that it could not inject)'}${v.reason ? `: ${v.reason}` : ''}.`);
  if (transfer.referenceBound) {
    notes.push(`Reference-bound: the replacement writes ${transfer.referenceBound.map((n) => `\`${n}\``).join(', ')}, the reference's own names (v2.1 has no templating); students who named them differently get no bug rather than a wrong one.`);
  }
  return notes;
}

async function readDefinition(file: string): Promise<BugDefinition | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BugDefinition;
  } catch {
    return undefined;
  }
}
