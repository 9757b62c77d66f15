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

/** What every outcome may say, whatever its status. */
export interface OutcomeFields {
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
  /** Whether the JSON file changed on disk. */
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
}

/** A generated JSON was written (new, regenerated, or provenance refreshed): exact on the reference. */
export interface BuiltOutcome extends OutcomeFields {
  status: 'built';
  verdict: 'exact';
}

/** The generated JSON on disk is up to date: nothing was done. */
export interface UpToDateOutcome extends OutcomeFields {
  status: 'up-to-date';
  verdict: 'exact';
  written: false;
}

/** A hand-written (or hand-edited) JSON was kept and verified (`differs` still passes; `no-match`/`error` fail). */
export interface ManualOutcome extends OutcomeFields {
  status: 'manual';
  verdict: Verdict;
  written: false;
}

/** Accepted as patch-only in the config: not compiled. */
export interface PatchOnlyOutcome extends OutcomeFields {
  status: 'patch-only';
  written: false;
}

/** No verified JSON could be produced for the current inputs: `reason` says why. */
export interface FailedOutcome extends OutcomeFields {
  status: 'failed';
  reason: string;
  written: false;
}

/** One bug's build, as a union by `status`. */
export type BugOutcome = BuiltOutcome | UpToDateOutcome | ManualOutcome | PatchOnlyOutcome | FailedOutcome;

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
