import path from 'node:path';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { applyPatchOnlyBug, type PatchOnlyResult } from '../inputs/read-patch-only.js';
import type { CheckEnvironment } from './check-environment.js';
import type { FindingWords } from './describe-findings.js';
import type { Finding } from './finding.js';

/**
 * A patch-only bug passes only while the engine can serve it: its patch in the folder the
 * engine picks from, beside `<name>_symptom.txt`, applying to the reference exactly as GNU
 * patch applies it, and no JSON competing with it. No Python is needed.
 */
export async function checkPatchOnlyBug(bug: BugRef, env: CheckEnvironment, say: FindingWords, applied?: Promise<PatchOnlyResult>): Promise<Finding[]> {
  const findings: Finding[] = [];
  // The engine looks in <module>/bugs: where the outputs go.
  const engineDir = path.dirname(bug.outputFile);
  if (path.dirname(bug.patchFile) !== engineDir) findings.push(say.patchOnlyOutsideBugsFolder(engineDir));
  const symptom = path.join(engineDir, `${bug.name}_symptom.txt`);
  if (!(await env.files.isFile(symptom))) findings.push(say.patchOnlyWithoutSymptom(symptom));
  if (await env.files.isFile(bug.outputFile)) findings.push(say.patchOnlyWithJson());
  try {
    const result = await (applied ?? applyPatchOnlyBug(bug, env.config, env.files));
    const fuzz = Math.max(0, ...result.fuzz);
    if (fuzz > 0) {
      const hunks = result.fuzz.flatMap((f, i) => (f > 0 ? [`hunk ${i + 1} (fuzz ${f})`] : [])).join(', ');
      findings.push(say.stalePatch(`patch applies it only with fuzz ${fuzz}, ignoring context lines that changed`, `${hunks}; with more drift it will stop applying and students will hit "Hunk FAILED"`));
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    findings.push(say.patchOnlyBroken(err));
  }
  return findings;
}
