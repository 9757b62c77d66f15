import path from 'node:path';
import { lastBuildFailure } from '../cache/failure-record.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { assertBugPathsInside } from '../files/contained-path.js';
import { workingTreeFiles } from '../files/project-files.js';
import { readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput } from '../outputs/existing-output.js';
import { PythonWorkerError } from '../python/python-errors.js';
import { formatSchemaProblems, validateDefinition } from '../schema/validate-definition.js';
import { judgeEngineDialect } from '../schema/engine-dialect.js';
import type { Verification } from '../verify/verify-definition.js';
import { verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import type { CheckEnvironment } from './check-environment.js';
import { describeFindings, type FindingWords } from './describe-findings.js';
import type { Finding } from './finding.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import { inputSyntaxError } from './input-syntax.js';
import { checkPatchOnlyBug } from './check-patch-only.js';
import { applyPatchOnlyBug } from '../inputs/read-patch-only.js';
import { describePatchNote, isStale } from '../patch/patch-notes.js';
import { reviewFinding } from './review-finding.js';
import { engineSymptomOf } from '../discover/engine-picks.js';

export interface BugCheck {
  /** False when `--since` left the bug out. */
  checked: boolean;
  findings: Finding[];
  /** How the JSON does on student-style variants, when it is exact on the reference. */
  transfer?: TransferReport;
  /** Its patch sits beside its JSON in the folder the engine picks from (the engine offers it twice). */
  patchBesideJson?: boolean;
}

/**
 * Judges one bug's JSON against its inputs in the snapshot: missing, stale, hand-edited,
 * invalid, not verifying, untracked. Python is needed only for verdicts not in the cache; when
 * the Python worker dies on this bug, it could not be verified (the findings so far stand).
 */
export async function checkBug(bug: BugRef, env: CheckEnvironment): Promise<BugCheck> {
  const say = describeFindings(bug, { root: env.config.root, staged: env.staged });
  const findings: Finding[] = [];
  try {
    return await checkBugInto(findings, bug, env, say);
  } catch (err) {
    if (!(err instanceof PythonWorkerError)) throw err;
    return { checked: true, findings: [...findings, say.notVerified(err.message)] };
  }
}

async function checkBugInto(findings: Finding[], bug: BugRef, env: CheckEnvironment, say: FindingWords): Promise<BugCheck> {
  try {
    assertBugPathsInside(bug, env.config, env.files);
  } catch (err) {
    // A patch or JSON reached through a link leading out of the project: nothing of it is read.
    if (err instanceof InputError) return { checked: true, findings: [say.inputError(err)] };
    throw err;
  }
  if (bug.patchOnly) {
    const applied = applyPatchOnlyBug(bug, env.config, env.files);
    applied.catch(() => {}); // awaited below
    if (env.changed) {
      // Its reference is whatever the patch's header names; one that cannot be found counts as touched.
      const result = await applied.catch((err: unknown) => (err instanceof InputError ? err : Promise.reject(err)));
      const symptom = path.join(path.dirname(bug.outputFile), `${bug.name}_symptom.txt`);
      if (!(result instanceof InputError) && !touches(bug, result, env, [symptom])) return { checked: false, findings: [] };
    }
    return { checked: true, findings: await checkPatchOnlyBug(bug, env, say, applied) };
  }
  const [inputs, existing] = await Promise.all([readInputs(bug, env), readExistingOutput(bug.outputFile, env.files)]);
  const picked = enginePickedFiles(bug, env);
  if (env.changed && !touches(bug, inputs, env, picked.map(engineSymptomOf))) return { checked: false, findings: [] };
  let transfer: TransferReport | undefined;
  const judged = async (definition: unknown, handWritten: boolean) => {
    const verdict = await judge(definition, inputs, env, say, handWritten);
    transfer = verdict.transfer;
    findings.push(...verdict.findings);
  };
  if (inputs instanceof InputError) findings.push(say.inputError(inputs));
  else if (inputs.patchNotes.length) findings.push(stalePatchFinding(inputs, say));

  switch (existing.state) {
    case 'missing':
      // With broken inputs there is nothing to build yet: the input error says what to fix.
      if (inputs instanceof InputError) break;
      findings.push(env.staged && (await workingTreeFiles.isFile(bug.outputFile)) ? say.unstaged() : await missingFinding(inputs, env, say));
      break;
    case 'unreadable':
      findings.push(say.notJson(existing.reason, existing.text));
      break;
    case 'manual':
    case 'hand-edited':
      if (existing.state === 'hand-edited') findings.push(say.handEdited());
      await judged(existing.definition, true);
      break;
    case 'generated':
      if (inputs instanceof InputError) break;
      // A stale JSON is re-verified too: the report then says whether it still injects the new patch.
      if (existing.provenance.input_hash !== inputs.inputHash) findings.push(say.stale());
      await judged(existing.definition, false);
      break;
  }
  findings.push(...(await missingEngineSymptoms(picked, inputs, env, say)));
  if (env.requireReview && existing.state !== 'missing' && existing.state !== 'unreadable') {
    const review = reviewFinding(bug, existing.definition, env.config.root, inputs instanceof InputError ? undefined : inputs.inputHash);
    if (review) findings.push(review);
  }
  if (existing.state !== 'missing' && env.requireTracked && !env.staged && env.tracked && !(await env.tracked()).has(bug.outputFile)) {
    findings.push(say.untracked());
  }
  const patchBesideJson = existing.state !== 'missing' && path.dirname(bug.patchFile) === path.dirname(bug.outputFile);
  return { checked: true, findings, ...(transfer ? { transfer } : {}), ...(patchBesideJson ? { patchBesideJson } : {}) };
}

/** The bug's files the engine picks: its JSON (written or to be) and its patch, each when it sits in a folder the engine picks bugs from. */
function enginePickedFiles(bug: BugRef, env: CheckEnvironment): string[] {
  const folders = env.engineFolders;
  if (!folders) return [];
  return [bug.outputFile, bug.patchFile].filter((file) => folders.has(path.dirname(file)));
}

/**
 * The engine serves a file it picks only beside `<stem>_symptom.txt` in that folder; it knows no
 * fallback (`{moduleDir}/symptom.txt`). A warning per symptom missing, naming the file to create.
 */
async function missingEngineSymptoms(picked: readonly string[], inputs: BugInputs | InputError, env: CheckEnvironment, say: FindingWords): Promise<Finding[]> {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  // The files that exist first: the finding names one the engine would pick today (a JSON not built yet comes last).
  const present = await Promise.all(picked.map((file) => env.files.isFile(file)));
  const ordered = [...picked.filter((_, i) => present[i]), ...picked.filter((_, i) => !present[i])];
  for (const file of ordered) {
    const symptom = engineSymptomOf(file);
    if (seen.has(symptom)) continue;
    seen.add(symptom);
    if (await env.files.isFile(symptom)) continue;
    const readInstead = inputs instanceof InputError ? undefined : inputs.symptomFile;
    const unstaged = env.staged && (await workingTreeFiles.isFile(symptom));
    findings.push(say.engineSymptomMissing(file, symptom, { ...(readInstead ? { readInstead } : {}), unstaged }));
  }
  return findings;
}

/**
 * A missing JSON, with the reason the build gave (cached), else the real one: a reference or
 * patched reference that is not valid Python cannot be fixed by running build.
 */
async function missingFinding(inputs: BugInputs, env: CheckEnvironment, say: FindingWords): Promise<Finding> {
  const lastFailure = await lastBuildFailure(env.cache, inputs.inputHash);
  if (lastFailure) return say.missing(lastFailure);
  const syntax = await inputSyntaxError(inputs, env);
  return syntax ? say.inputError(syntax) : say.missing();
}

/** One warning for a patch that applies only leniently: what was lenient, hunk by hunk. */
function stalePatchFinding(inputs: BugInputs, say: FindingWords): Finding {
  const notes = inputs.patchNotes;
  const what = !isStale(notes)
    ? 'its hunk line counts are wrong (it was recounted)'
    : notes.some((n) => n.kind === 'misordered')
      ? "its hunks are out of order (the engine's patch refuses them: \"misordered hunks\")"
      : notes.some((n) => n.kind === 'code')
      ? 'applies only ignoring comments'
      : notes.some((n) => n.kind === 'whitespace')
        ? 'applies only ignoring whitespace at line ends'
        : 'applies only with fuzz (context lines differ)';
  return say.stalePatch(what, notes.map(describePatchNote).join('\n'), inputs.snippet ? (inputs.snippetReason ?? 'its reference file was not found') : undefined);
}

async function readInputs(bug: BugRef, env: CheckEnvironment): Promise<BugInputs | InputError> {
  try {
    return await readBugInputs(bug, env.config, env.files);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

/** `--since`: whether any of the bug's files is among the changed ones. */
function touches(bug: BugRef, inputs: { referenceFile?: string | undefined } | InputError, env: CheckEnvironment, extra: readonly string[] = []): boolean {
  const files = [bug.patchFile, bug.outputFile, ...bug.symptomCandidates, ...extra];
  if (inputs instanceof InputError) files.push(path.resolve(env.config.root, inputs.file));
  else if (inputs.referenceFile) files.push(inputs.referenceFile);
  return files.some((file) => env.changed!.has(file));
}

/**
 * Verifies a definition against the snapshot's reference and patched reference. A cached verdict
 * is reused (that is what keeps an unchanged check free of Python); a fresh one is cached.
 */
async function judge(
  definition: unknown,
  inputs: BugInputs | InputError,
  env: CheckEnvironment,
  say: FindingWords,
  handWritten: boolean,
): Promise<{ findings: Finding[]; transfer?: TransferReport }> {
  // Hand-written JSON is judged by what the engine does with it; what it merely lacks is a warning.
  const dialect = handWritten ? judgeEngineDialect(definition) : undefined;
  const lacking = dialect?.warnings.length ? [say.engineDialectWarnings(formatSchemaProblems(dialect.warnings))] : [];
  if (inputs instanceof InputError) {
    if (dialect) return { findings: dialect.errors.length ? [say.engineDialectErrors(formatSchemaProblems(dialect.errors))] : lacking };
    const schema = validateDefinition(definition);
    return { findings: schema.valid ? [] : [say.schemaInvalid(formatSchemaProblems(schema.problems), handWritten)] };
  }
  const target = verifyTargetOf(inputs, env.config, env);
  const { label } = target;
  const v = await verifyWithCache(definition, handWritten ? { ...target, dialect: 'engine' } : target, env.python, env.cache);
  if (v.verdict === 'exact') {
    const findings = v.transfer?.worst === 'wrong' ? [say.doesNotTransfer(v.transfer, handWritten)] : [];
    return { findings: [...findings, ...lacking], ...(v.transfer ? { transfer: v.transfer } : {}) };
  }
  if (v.schemaProblems) return { findings: [handWritten ? say.engineDialectErrors(formatSchemaProblems(v.schemaProblems)) : say.schemaInvalid(formatSchemaProblems(v.schemaProblems), handWritten)] };
  if (lacking.length) return { findings: [...(await judgedFailure(v, inputs, env, say, label, handWritten)), ...lacking] };
  return { findings: await judgedFailure(v, inputs, env, say, label, handWritten) };
}

/** A verdict that is not exact, as findings. */
async function judgedFailure(v: Verification, inputs: BugInputs, env: CheckEnvironment, say: FindingWords, label: string, handWritten: boolean): Promise<Finding[]> {
  if (v.verdict === 'differs') return [say.differs(v, label, handWritten)];
  // A reference or patched reference that is not valid Python is the inputs' fault, not the JSON's.
  const syntax = await inputSyntaxError(inputs, env);
  return [syntax ? say.inputError(syntax) : say.doesNotVerify(v, label, handWritten)];
}
