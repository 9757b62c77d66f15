import type { Verdict } from '../verify/verify-definition.js';
import type { ExistingOutput } from './existing-output.js';

/** What a build is about to write over an output: its verdict, and whether it was verified against the hunks alone. */
export interface ReplacementCandidate {
  verdict: Verdict;
  snippet: boolean;
}

/**
 * Why writing `candidate` over `existing` would replace a verified definition with a weaker
 * one, or undefined when it would not. Verified against the full reference beats snippet mode
 * (a reference that was not found, e.g. a run from the wrong directory), and `exact` beats any
 * other verdict. Only generated JSON is judged: hand-written JSON is never overwritten anyway.
 */
export function weakerReplacement(existing: ExistingOutput, candidate: ReplacementCandidate): string | undefined {
  if (existing.state !== 'generated' || existing.provenance.verdict !== 'exact') return undefined;
  if (candidate.verdict !== 'exact') return `a \`${candidate.verdict}\` definition would replace one verified \`exact\``;
  if (candidate.snippet && !existing.provenance.snippet) {
    const reference = existing.provenance.inputs.reference;
    return `it was verified against ${reference ? `the reference ${reference}` : 'its reference file'}, but no reference file was found for the current inputs (snippet mode is weaker)`;
  }
  return undefined;
}
