import { readFile } from 'node:fs/promises';
import type { BugDefinition } from '../injector/definition.js';
import { outputHash } from '../outputs/provenance.js';
import { serializeDefinition } from '../outputs/write-definition.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { newReviewRecord, withReview, type ReviewAnswer, type ReviewQuestion, type ReviewRecord, type ReviewStatus } from '../outputs/review-record.js';

export interface ReviewInput {
  answers: Record<ReviewQuestion, ReviewAnswer>;
  status: ReviewStatus;
  note?: string | undefined;
  /** The output hash the reviewer looked at: when the JSON changed since, nothing is recorded. */
  outputHash: string;
  /** The bug's inputs as the reviewer saw them (default: those the JSON's provenance names). */
  inputHash?: string | undefined;
}

/** Why a review was not recorded; turned into a message (and an HTTP status) at the edge. */
export class ReviewConflictError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Records a review in the JSON's bug_author block, written atomically. Only that block's `review`
 * changes: the definition's logic and its provenance stay byte for byte what they were.
 */
export async function recordReview(file: string, input: ReviewInput, reviewer: string, now = new Date()): Promise<ReviewRecord> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ReviewConflictError(file, err.code === 'ENOENT' ? 'there is no JSON to review (build it first)' : `cannot be read (${err.code ?? err.message})`);
  });
  let definition: BugDefinition;
  try {
    definition = JSON.parse(text) as BugDefinition;
  } catch (err) {
    throw new ReviewConflictError(file, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw new ReviewConflictError(file, 'is not a JSON object');
  if (outputHash(definition) !== input.outputHash) throw new ReviewConflictError(file, 'the definition changed since it was shown: look at it again before reviewing it');
  const record = newReviewRecord(definition, input, reviewer, now);
  await writeFileAtomic(file, serializeDefinition(withReview(definition, record)));
  return record;
}
