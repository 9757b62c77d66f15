import type { TransferReport } from '../contracts.js';

/** The student-style variants a definition injects something else into, with why: `lookalike variant (changes `f` …); moved variant`. */
export function describeWrongVariants(transfer: Pick<TransferReport, 'variants'> | undefined): string {
  return (transfer?.variants ?? [])
    .filter((v) => v.outcome === 'wrong')
    .map((v) => `${v.kind} variant${v.reason ? ` (${v.reason})` : ''}`)
    .join('; ');
}
