import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { ProjectFiles } from '../files/project-files.js';
import { applyPatchOnlyBug, type PatchOnlyResult } from '../inputs/read-patch-only.js';
import type { CheckEnvironment } from './check-environment.js';
import type { FindingWords } from './describe-findings.js';
import type { Finding } from './finding.js';

/** What keeps the engine from serving a patch-only bug. */
export type PatchOnlyProblem =
  /** The engine picks bugs from `engineDir` (where the outputs go); the patch is elsewhere. */
  | { kind: 'outside-bugs-folder'; engineDir: string }
  | { kind: 'no-symptom'; symptom: string }
  /** A JSON beside it: the engine picks either at random. */
  | { kind: 'competing-json' }
  | { kind: 'does-not-apply'; error: InputError };

export interface PatchOnlyReview {
  problems: PatchOnlyProblem[];
  /** The fuzz each hunk needed, when the patch applies. */
  fuzz: number[];
  /** What patch says while reading it. */
  notes: string[];
}

/**
 * A patch-only bug can be served only while its patch is in the folder the engine picks from,
 * beside `<name>_symptom.txt`, applies to the reference exactly as GNU patch applies it, and no
 * JSON competes with it. Build and check both judge it by this. No Python is needed.
 */
/** `applied`: the patch applied already (check's `--since` needed it), so it is not applied twice. */
export async function reviewPatchOnlyBug(bug: BugRef, config: ResolvedConfig, files: ProjectFiles, applied?: Promise<PatchOnlyResult>): Promise<PatchOnlyReview> {
  const problems: PatchOnlyProblem[] = [];
  // The engine looks in <module>/bugs: where the outputs go.
  const engineDir = path.dirname(bug.outputFile);
  if (path.dirname(bug.patchFile) !== engineDir) problems.push({ kind: 'outside-bugs-folder', engineDir });
  const symptom = path.join(engineDir, `${bug.name}_symptom.txt`);
  if (!(await files.isFile(symptom))) problems.push({ kind: 'no-symptom', symptom });
  if (await files.isFile(bug.outputFile)) problems.push({ kind: 'competing-json' });
  try {
    const { fuzz, notes } = await (applied ?? applyPatchOnlyBug(bug, config, files));
    return { problems, fuzz, notes };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { problems: [...problems, { kind: 'does-not-apply', error: err }], fuzz: [], notes: [] };
  }
}

export async function checkPatchOnlyBug(bug: BugRef, env: CheckEnvironment, say: FindingWords, applied?: Promise<PatchOnlyResult>): Promise<Finding[]> {
  const review = await reviewPatchOnlyBug(bug, env.config, env.files, applied);
  const findings = review.problems.map((problem): Finding => {
    switch (problem.kind) {
      case 'outside-bugs-folder':
        return say.patchOnlyOutsideBugsFolder(problem.engineDir);
      case 'no-symptom':
        return say.patchOnlyWithoutSymptom(problem.symptom);
      case 'competing-json':
        return say.patchOnlyWithJson();
      case 'does-not-apply':
        return say.patchOnlyBroken(problem.error);
    }
  });
  const fuzz = Math.max(0, ...review.fuzz);
  if (fuzz > 0) {
    const hunks = review.fuzz.flatMap((f, i) => (f > 0 ? [`hunk ${i + 1} (fuzz ${f})`] : [])).join(', ');
    findings.push(say.stalePatch(`patch applies it only with fuzz ${fuzz}, ignoring context lines that changed`, `${hunks}; with more drift it will stop applying and students will hit "Hunk FAILED"`));
  }
  return findings;
}
