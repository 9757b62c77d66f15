import path from 'node:path';
import type { BugRef } from '../discover/bug-ref.js';
import type { BugDefinition } from '../injector/definition.js';
import { writeDefinition } from '../outputs/write-definition.js';
import type { Verification } from '../verify/verify-definition.js';

/** The best non-exact candidate, for review: `<name>_draft.json` (a scratch name, never an output). */
export async function writeDraft(bug: BugRef, draft: { definition: BugDefinition; verification: Verification; generator: string }): Promise<string> {
  const file = path.join(path.dirname(bug.outputFile), `${bug.name}_draft.json`);
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
