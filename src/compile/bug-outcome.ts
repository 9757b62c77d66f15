import type { BugRef } from '../discover/bug-ref.js';
import type { BugOutcome, FailedOutcome } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { OutcomeStatus, OutcomeFields, BuiltOutcome, UpToDateOutcome, ManualOutcome, PatchOnlyOutcome, FailedOutcome, BugOutcome } from '../contracts.js';

/** What a step of the pipeline settles about a bug; the bug and its time are added at the end. */
export type Outcome = BugOutcome extends infer O ? (O extends BugOutcome ? Omit<O, 'bug' | 'ms'> : never) : never;

/** The bug fails, nothing is written: why, and whatever else is known. */
export function failedOutcome(reason: string, extras: Omit<FailedOutcome, 'bug' | 'ms' | 'status' | 'written' | 'reason'> = {}): Omit<FailedOutcome, 'bug' | 'ms'> {
  return { status: 'failed', written: false, reason, ...extras };
}

/** A failure nobody foresaw (a defect, a broken environment): this bug fails, the run goes on. */
export function internalFailure(bug: BugRef, err: unknown, ms: number): BugOutcome {
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error && err.stack ? { stack: err.stack } : {};
  return { bug, ms: Math.round(ms), ...failedOutcome(`internal error: ${message}`, { verdict: 'error', needsAuthoring: false, ...stack }) };
}
