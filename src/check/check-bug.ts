import path from 'node:path';
import { lastBuildFailure } from '../build/failure-record.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles } from '../inputs/project-files.js';
import { readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput } from '../outputs/existing-output.js';
import { PythonWorkerError } from '../python/python-errors.js';
import { formatSchemaProblems, validateDefinition } from '../schema/validate-definition.js';
import { verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import type { CheckEnvironment } from './check-environment.js';
import { describeFindings, type FindingWords } from './describe-findings.js';
import type { Finding } from './finding.js';
import { inputSyntaxError } from './input-syntax.js';

export interface BugCheck {
  /** False when `--since` left the bug out. */
  checked: boolean;
  findings: Finding[];
}

/**
 * Judges one bug's JSON against its inputs in the snapshot: missing, stale, hand-edited,
 * invalid, not verifying, untracked. Python is needed only for verdicts not in the cache.
 */
export async function checkBug(bug: BugRef, env: CheckEnvironment): Promise<BugCheck> {
  const [inputs, existing] = await Promise.all([readInputs(bug, env), readExistingOutput(bug.outputFile, env.files)]);
  if (env.changed && !touches(bug, inputs, env)) return { checked: false, findings: [] };
  const say = describeFindings(bug, { root: env.config.root, staged: env.staged });
  const findings: Finding[] = [];
  if (inputs instanceof InputError) findings.push(say.inputError(inputs));

  switch (existing.state) {
    case 'missing':
      // With broken inputs there is nothing to build yet: the input error says what to fix.
      if (inputs instanceof InputError) break;
      findings.push(env.staged && (await workingTreeFiles.isFile(bug.outputFile)) ? say.unstaged() : say.missing(await lastBuildFailure(env.cache, inputs.inputHash)));
      break;
    case 'unreadable':
      findings.push(say.notJson(existing.reason, existing.text));
      break;
    case 'manual':
    case 'hand-edited':
      if (existing.state === 'hand-edited') findings.push(say.handEdited());
      findings.push(...(await judge(existing.definition, inputs, env, say, true)));
      break;
    case 'generated':
      if (inputs instanceof InputError) break;
      // A stale JSON is re-verified too: the report then says whether it still injects the new patch.
      if (existing.provenance.input_hash !== inputs.inputHash) findings.push(say.stale());
      findings.push(...(await judge(existing.definition, inputs, env, say, false)));
      break;
  }
  if (existing.state !== 'missing' && env.requireTracked && !env.staged && env.tracked && !(await env.tracked()).has(bug.outputFile)) {
    findings.push(say.untracked());
  }
  return { checked: true, findings };
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
function touches(bug: BugRef, inputs: BugInputs | InputError, env: CheckEnvironment): boolean {
  const files = [bug.patchFile, bug.outputFile, ...bug.symptomCandidates];
  if (inputs instanceof InputError) files.push(path.resolve(env.config.root, inputs.file));
  else if (inputs.referenceFile) files.push(inputs.referenceFile);
  return files.some((file) => env.changed!.has(file));
}

/**
 * Verifies a definition against the snapshot's reference and patched reference. A cached verdict
 * is reused (that is what keeps an unchanged check free of Python); a fresh one is cached.
 */
async function judge(definition: unknown, inputs: BugInputs | InputError, env: CheckEnvironment, say: FindingWords, handWritten: boolean): Promise<Finding[]> {
  if (inputs instanceof InputError) {
    const schema = validateDefinition(definition);
    return schema.valid ? [] : [say.schemaInvalid(formatSchemaProblems(schema.problems), handWritten)];
  }
  const target = verifyTargetOf(inputs, env.config);
  const { label } = target;
  let v;
  try {
    v = await verifyWithCache(definition, target, env.python, env.cache, env.judge);
  } catch (err) {
    if (err instanceof PythonWorkerError) return [say.notVerified(err.message)];
    throw err;
  }
  if (v.verdict === 'exact') return [];
  if (v.schemaProblems) return [say.schemaInvalid(formatSchemaProblems(v.schemaProblems), handWritten)];
  if (v.verdict === 'differs') return [say.differs(v, label, handWritten)];
  // A reference or patched reference that is not valid Python is the inputs' fault, not the JSON's.
  const syntax = await inputSyntaxError(inputs, env);
  return [syntax ? say.inputError(syntax) : say.doesNotVerify(v, label, handWritten)];
}
