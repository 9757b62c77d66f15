import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { applyEdits, modify } from 'jsonc-parser';
import type { BugDefinition } from '../injector/definition.js';
import { outputHash, PROVENANCE_KEY } from '../outputs/provenance.js';
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
 * changes: the rest of the text (a hand-written file's own layout included) stays byte for byte
 * what it was.
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
  await writeFileAtomic(file, withReviewText(text, withReview(definition, record)));
  return record;
}

/** The JSON text with the review written into it in place; where an edit of the text cannot give exactly `reviewed` (duplicate keys), the whole file serialized. */
function withReviewText(text: string, reviewed: BugDefinition): string {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const edits = modify(text, ['metadata', PROVENANCE_KEY, 'review'], readReviewBlock(reviewed), {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' },
  });
  const edited = applyEdits(text, edits);
  return isDeepStrictEqual(JSON.parse(edited), reviewed) ? edited : serializeDefinition(reviewed);
}

function readReviewBlock(definition: BugDefinition): unknown {
  return (definition.metadata?.[PROVENANCE_KEY] as { review: unknown }).review;
}
