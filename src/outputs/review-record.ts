import { outputHash, PROVENANCE_KEY, readProvenance, recordedReview } from './provenance.js';
import type { BugDefinition } from '../injector/definition.js';

/**
 * The migration guide's review, per bug: its judgement calls as four questions (the rest of its
 * template — JSON generated, schema valid, injection test — is verified automatically).
 */
export const REVIEW_QUESTIONS = [
  { id: 'pattern', question: 'Is the pattern right? (it matches the intended code, and not more than that in student code)' },
  { id: 'replacement', question: 'Is the replacement right? (the transformation produces exactly the bug)' },
  { id: 'symptom', question: 'Does the symptom match what a student will observe?' },
  { id: 'ready', question: 'Ready for students?' },
] as const;

export type ReviewQuestion = (typeof REVIEW_QUESTIONS)[number]['id'];
export type ReviewAnswer = 'yes' | 'no' | 'unsure';

/** The guide's closing line: APPROVED / NEEDS REVISION / MANUAL AUTHORING. */
export const REVIEW_STATUSES = ['approved', 'needs-revision', 'manual-authoring'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * Recorded at `metadata.bug_author.review` of the JSON: outside what the output hash covers, so
 * recording a review never makes a generated JSON look hand-edited or stale.
 */
export interface ReviewRecord {
  status: ReviewStatus;
  answers: Record<ReviewQuestion, ReviewAnswer>;
  note?: string;
  /** git `user.name` of whoever recorded it. */
  reviewer: string;
  /** ISO time. */
  reviewed_at: string;
  /** The definition's output hash (its logic, without bug_author metadata) that was reviewed. */
  output_hash: string;
  /** The hash of the bug's inputs (patch, symptom, reference) when it was reviewed. */
  input_hash?: string;
}

/** Where a definition stands with its review. */
export type ReviewState =
  | { state: 'unreviewed' }
  /** Reviewed, but the definition (or, for a generated one, its patch, symptom or reference) changed since. */
  | { state: 'stale'; record: ReviewRecord; why: string }
  | { state: ReviewStatus; record: ReviewRecord };


/** The review recorded in the JSON; a block bug-author did not write (another status, no time, no answers) is none. */
export function readReview(definition: unknown): ReviewRecord | undefined {
  const review = recordedReview(definition).review as Partial<Record<keyof ReviewRecord, unknown>> | undefined;
  if (!review || !REVIEW_STATUSES.includes(review.status as ReviewStatus)) return undefined;
  if (typeof review.output_hash !== 'string' || typeof review.reviewer !== 'string' || typeof review.reviewed_at !== 'string') return undefined;
  if (!review.answers || typeof review.answers !== 'object') return undefined;
  return review as unknown as ReviewRecord;
}

/**
 * The review of the definition as it is now: current, stale (and why) or none. `inputHash`: the
 * bug's inputs as they are now (else those the provenance recorded).
 */
export function reviewStateOf(definition: BugDefinition, inputHash?: string): ReviewState {
  const record = readReview(definition);
  if (!record) return { state: 'unreviewed' };
  if (record.output_hash !== outputHash(definition)) return { state: 'stale', record, why: 'the definition changed since it was reviewed' };
  const current = inputHash ?? readProvenance(definition)?.input_hash;
  if (current !== undefined && record.input_hash !== undefined && record.input_hash !== current) {
    return { state: 'stale', record, why: 'its patch, symptom or reference changed since it was reviewed' };
  }
  return { state: record.status, record };
}

/** The definition with this review recorded; nothing else in it changes (its logic, its provenance). */
export function withReview(definition: BugDefinition, record: ReviewRecord): BugDefinition {
  const metadata = { ...(definition.metadata ?? {}) };
  const block = metadata[PROVENANCE_KEY];
  metadata[PROVENANCE_KEY] = { ...(block && typeof block === 'object' ? (block as object) : {}), review: record };
  return { ...definition, metadata };
}

/** The review to record for these answers against the definition as it is now. */
export function newReviewRecord(
  definition: BugDefinition,
  input: { answers: Record<ReviewQuestion, ReviewAnswer>; status: ReviewStatus; note?: string | undefined; inputHash?: string | undefined },
  reviewer: string,
  now: Date,
): ReviewRecord {
  const inputHash = input.inputHash ?? readProvenance(definition)?.input_hash;
  const note = input.note?.trim();
  return {
    status: input.status,
    answers: input.answers,
    ...(note ? { note } : {}),
    reviewer,
    reviewed_at: now.toISOString(),
    output_hash: outputHash(definition),
    ...(inputHash ? { input_hash: inputHash } : {}),
  };
}

/** One line for reports: `approved by Ada (2025-01-02)`, `review stale: …`, `unreviewed`. */
export function describeReviewState(review: ReviewState): string {
  switch (review.state) {
    case 'unreviewed':
      return 'unreviewed';
    case 'stale':
      return `review stale (${review.record.status} by ${review.record.reviewer} on ${review.record.reviewed_at.slice(0, 10)}; ${review.why})`;
    default:
      return `${review.state === 'approved' ? 'approved' : review.state === 'needs-revision' ? 'needs revision' : 'manual authoring'} by ${review.record.reviewer} on ${review.record.reviewed_at.slice(0, 10)}${review.record.note ? `: ${review.record.note}` : ''}`;
  }
}
