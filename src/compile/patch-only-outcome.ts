import { reviewPatchOnlyBug, type PatchOnlyProblem } from '../check/check-patch-only.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { workingTreeFiles } from '../files/project-files.js';
import { failedOutcome, type Outcome } from './bug-outcome.js';
import { inputFailure } from './input-failure.js';

/**
 * A patch-only bug is not compiled: the build only proves the engine can serve it, judged as
 * `check` judges it (in its bugs folder, beside its symptom, applying as GNU patch applies it,
 * no JSON competing with it).
 */
export async function patchOnlyOutcome(bug: BugRef, config: ResolvedConfig): Promise<Outcome> {
  const review = await reviewPatchOnlyBug(bug, config, workingTreeFiles);
  if (review.problems.length > 0) {
    const failures = review.problems.map((problem) => problemOutcome(problem, bug, config));
    const [first] = failures;
    return { ...first!, reason: failures.map((f) => f.reason).join('; ') };
  }
  const fuzz = Math.max(0, ...review.fuzz);
  const notes = [...review.notes, ...(fuzz > 0 ? [`patch needs fuzz ${fuzz} (context lines differ); refresh it with \`bug-author refresh-patch\``] : [])];
  return { status: 'patch-only', generator: 'patch', written: false, ...(bug.patchOnly?.reason ? { reason: bug.patchOnly.reason } : {}), ...(notes.length ? { patchNotes: notes } : {}) };
}

function problemOutcome(problem: PatchOnlyProblem, bug: BugRef, config: ResolvedConfig): Outcome {
  const rel = (file: string) => relativeToRoot(config, file);
  const patch = rel(bug.patchFile);
  switch (problem.kind) {
    case 'does-not-apply':
      return inputFailure(problem.error, { config });
    case 'competing-json': {
      const json = rel(bug.outputFile);
      return failedOutcome(`patch-only, yet ${json} exists too: the engine picks either file at random`, {
        hint: `delete ${json}, or take ${patch} out of patchOnly`,
        inputFile: bug.outputFile,
        needsAuthoring: false,
      });
    }
    case 'outside-bugs-folder':
      return failedOutcome(`patch-only, but ${patch} sits outside ${rel(problem.engineDir)}, the folder the engine picks bugs from, so it is never served`, {
        hint: `move it there: git mv ${patch} ${rel(problem.engineDir)}/`,
        inputFile: bug.patchFile,
        needsAuthoring: false,
      });
    case 'no-symptom':
      return failedOutcome(`patch-only, but ${rel(problem.symptom)} does not exist: the engine needs it to present the bug`, {
        hint: `write ${rel(problem.symptom)}`,
        inputFile: problem.symptom,
        needsAuthoring: false,
      });
  }
}
