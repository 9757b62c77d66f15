import type { BugRef } from '../discover/bug-ref.js';
import { nearMissDraftFileOf } from '../drafts/near-miss-drafts.js';
import type { BugDefinition } from '../injector/definition.js';
import { writeDefinition } from '../outputs/write-definition.js';
import type { Verification } from '../verify/verify-definition.js';

/**
 * The best non-exact candidate, for review: under `.bug-author/drafts/` (see nearMissDraftFileOf),
 * never beside the output, where the engine would pick it as a bug.
 */
export async function writeDraft(root: string, bug: BugRef, draft: { definition: BugDefinition; verification: Pick<Verification, 'verdict' | 'reason' | 'diff'>; generator: string }): Promise<string> {
  const file = nearMissDraftFileOf(root, bug.outputFile);
  await writeDefinition(file, {
    ...draft.definition,
    metadata: {
      ...(draft.definition.metadata ?? {}),
      draft: {
        status: 'DRAFT — needs review: verification did not give `exact`',
        generator: draft.generator,
        verdict: draft.verification.verdict,
        reason: draft.verification.reason ?? null,
        diff: draft.verification.diff ?? null,
      },
    },
  });
  return file;
}
