import type { TransferOutcome, TransferReport, Verdict, Verification } from '../contracts.js';
import type { ExistingOutput } from './existing-output.js';

/** What a build is about to write over an output: how it verified, against what. */
export interface ReplacementCandidate {
  verdict: Verdict;
  /** Verified against the hunks alone (no reference file was found). */
  snippet: boolean;
  /** How it does on student-style variants (absent when not measured, e.g. in snippet mode). */
  transfer?: TransferReport | undefined;
  /** The reference file it was verified against, relative to the project root. */
  reference?: string | undefined;
}

export interface ReplacementContext {
  /**
   * `--force`: the author accepts weaker inputs than the JSON on disk was verified with (snippet
   * mode, another reference file). It never lets a worse definition replace one that still verifies.
   */
  force?: boolean;
  /** The JSON on disk verified against the current inputs: one that is no longer `exact` has nothing left to lose. */
  current?: Pick<Verification, 'verdict' | 'transfer'>;
}

const RANK: Record<TransferOutcome, number> = { exact: 0, 'no-match': 1, wrong: 2 };

/**
 * Why writing `candidate` over `existing` would replace a verified definition with a weaker
 * one, or undefined when it would not. `exact` beats any other verdict; verified against the
 * full reference beats snippet mode, and the reference it was verified against beats another
 * one it does not inject into (a run from the wrong directory), unless `--force`; a better
 * worst outcome on student-style variants, then more exact ones, beat fewer, even with
 * `--force`. Only generated JSON is judged: hand-written JSON is never overwritten without `--force`.
 */
export function weakerReplacement(existing: ExistingOutput, candidate: ReplacementCandidate, context: ReplacementContext = {}): string | undefined {
  if (existing.state !== 'generated' || existing.provenance.verdict !== 'exact') return undefined;
  if (candidate.verdict !== 'exact') return `a \`${candidate.verdict}\` definition would replace one verified \`exact\``;
  const { provenance } = existing;
  const stillExact = context.current === undefined || context.current.verdict === 'exact';
  if (!context.force) {
    if (candidate.snippet && !provenance.snippet) {
      const reference = provenance.inputs.reference;
      return `it was verified against ${reference ? `the reference ${reference}` : 'its reference file'}, but no reference file was found for the current inputs (snippet mode is weaker)`;
    }
    const before = provenance.inputs.reference;
    if (before && candidate.reference && before !== candidate.reference && !stillExact) {
      return `it was verified against the reference ${before}, but the current inputs resolve ${candidate.reference}, where it does not inject exactly`;
    }
  }
  if (!stillExact) return undefined;
  const had = context.current?.transfer ?? provenance.transfer;
  const now = candidate.transfer;
  if (!had || !now) return undefined;
  const worse = RANK[now.worst] > RANK[had.worst] || (now.worst === had.worst && now.exact < had.exact);
  if (!worse) return undefined;
  return `it still verifies \`exact\` and injects exactly into ${had.exact}/${had.total} student-style variants${had.worst === 'exact' ? '' : ` (worst: ${had.worst})`}; the new definition only into ${now.exact}/${now.total} (worst: ${now.worst})`;
}
