import type { BugRef } from '../discover/bug-ref.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import type { Verdict } from '../verify/verify-definition.js';

export type OutcomeStatus =
  /** A generated JSON was written (new, regenerated, or provenance refreshed). */
  | 'built'
  /** The generated JSON on disk is up to date: nothing to do. */
  | 'up-to-date'
  /** A hand-written (or hand-edited) JSON was kept and verified. */
  | 'manual'
  /** Accepted as patch-only in the config: not compiled; its patch applies the way the engine applies it. */
  | 'patch-only'
  /** No verified JSON could be produced for the current inputs. */
  | 'failed';

export interface BugOutcome {
  bug: BugRef;
  status: OutcomeStatus;
  generator?: string;
  model?: string;
  verdict?: Verdict;
  /** Why it failed, or a note (e.g. "provenance refreshed", snippet mode). */
  reason?: string;
  /** What to do about a failure, in one line. */
  hint?: string;
  diff?: string;
  written: boolean;
  draftFile?: string;
  snippet?: boolean;
  /** A failure only the LLM generator or an author can fix (not an input error). */
  needsAuthoring?: boolean;
  /** The failure is in the inputs (patch, reference, symptom): the file to fix. */
  inputFile?: string;
  /** The stack of what a plugin (or the tool itself) threw; shown with `--verbose`. */
  stack?: string;
  ms: number;
  /** How the JSON (generated or kept) does on student-style variants of the reference. */
  transfer?: TransferReport;
  /** How leniently the patch was read or applied (recounted hunks, hunks found ignoring comments). */
  patchNotes?: string[];
  /** A generator said v2.1 cannot express this edit: accepting it as patch-only is the way out. */
  inexpressible?: boolean;
  /** Verified by the built-in injector alone: the engine judge was switched off during this run (it hung). */
  notCrossChecked?: boolean;
  /** The patch no longer applies to its reference (its removed code is gone): `refresh-patch` can draft a repair. */
  patchRotted?: boolean;
}

/** What a step of the pipeline settles about a bug; the bug and its time are added at the end. */
export type Outcome = Omit<BugOutcome, 'bug' | 'ms'>;

/** The bug fails, nothing is written: why, and whatever else is known. */
export function failedOutcome(reason: string, extras: Omit<Outcome, 'status' | 'written' | 'reason'> = {}): Outcome {
  return { status: 'failed', written: false, reason, ...extras };
}

/** A failure nobody foresaw (a defect, a broken environment): this bug fails, the run goes on. */
export function internalFailure(bug: BugRef, err: unknown, ms: number): BugOutcome {
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error && err.stack ? { stack: err.stack } : {};
  return { bug, ms: Math.round(ms), ...failedOutcome(`internal error: ${message}`, { verdict: 'error', needsAuthoring: false, ...stack }) };
}
