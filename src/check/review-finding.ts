import path from 'node:path';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import type { BugDefinition } from '../injector/definition.js';
import { describeReviewState, reviewStateOf } from '../outputs/review-record.js';
import type { Finding } from './finding.js';

const FIX = 'review it: bug-author review (or bug-author watch --ui), then approve it';

/**
 * `check --require-review` (config `requireReview`): a definition nobody approved, or whose
 * review no longer applies (the definition or its inputs changed since), is an error.
 */
export function reviewFinding(bug: BugRef, definition: BugDefinition, root: string, inputHash: string | undefined): Finding | undefined {
  const review = reviewStateOf(definition, inputHash);
  const json = relativeToRoot({ root }, path.resolve(root, bug.outputFile));
  if (review.state === 'approved') return undefined;
  const about = { severity: 'error' as const, bug: bug.id, file: json, fix: FIX, review: describeReviewState(review) };
  switch (review.state) {
    case 'unreviewed':
      return { kind: 'unreviewed', ...about, message: `${json} has not been reviewed` };
    case 'stale':
      return { kind: 'review-stale', ...about, message: `${json}: ${about.review}` };
    default:
      return { kind: 'unreviewed', ...about, message: `${json} is not approved: ${about.review}` };
  }
}
