import type { BuildEnvironment } from '../compile/build-environment.js';
import { runGeneratorChain } from '../compile/generator-chain.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { applyLikeEngine } from '../patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../patch/parse-unified-diff.js';
import { refreshPatchText } from '../patch/refresh-patch.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import { sameProgram } from '../python/same-program.js';
import { introducedUndefinedNames } from '../transfer/python-names.js';
import { verifyTargetOf } from '../verify/cached-verdict.js';
import type { DraftVerdict } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where it was.
export type { DraftVerdict } from '../contracts.js';

/**
 * A model's patch made exact before it is judged: hunk counts recounted, and placed the way
 * `patch` places hunks (any offset, fuzz up to 2 — never by code alone), then written afresh
 * with exact context and line numbers. A patch that does not apply so is refused as it is.
 */
export async function verifyModelPatch(
  bug: BugRef,
  text: string,
  env: BuildEnvironment,
  allowed: readonly string[] | undefined,
  referenceFile?: string,
  ownNames: ReadonlySet<string> = new Set(),
): Promise<DraftVerdict> {
  let fresh: string;
  try {
    const inputs = await readBugInputs(bug, env.config, withDraftPatch(workingTreeFiles, bug.patchFile, text));
    if (!inputs.referenceFile || (referenceFile && inputs.referenceFile !== referenceFile)) return { ok: false, stage: 'apply', reason: 'its header names another file than the reference (use the file names given)' };
    const lenient = inputs.patchNotes.find((n) => n.kind === 'code' || n.kind === 'whitespace');
    if (lenient) return { ok: false, stage: 'apply', reason: `hunk ${lenient.hunk} does not apply as written: its context or removed lines are not today's code (copy them exactly, with their indentation)` };
    fresh = refreshPatchText(text, parseUnifiedDiff(text, bug.patchFile), inputs.referenceText, inputs.patchedText);
  } catch (err) {
    if (err instanceof InputError) return { ok: false, stage: 'apply', reason: `it does not apply cleanly: ${err.reason}` };
    throw err;
  }
  const verdict = await verifyDraftPatch(bug, fresh, env, allowed, ownNames);
  return verdict.ok ? { ...verdict, text: fresh } : verdict;
}

/** The project's files with one patch's text replaced by a draft's. */
export function withDraftPatch(files: ProjectFiles, patchFile: string, text: string): ProjectFiles {
  const bytes = new TextEncoder().encode(text);
  return {
    read: (file) => (file === patchFile ? Promise.resolve(bytes) : files.read(file)),
    isFile: (file) => (file === patchFile ? Promise.resolve(true) : files.isFile(file)),
    ...(files.realPath ? { realPath: files.realPath } : {}),
  };
}

/**
 * Whether a draft patch may be offered: it parses, applies cleanly to today's reference the way
 * the engine applies patches, the result is Python, it is not a no-op, it changes only the
 * functions `allowed` names (the old patch's), it reads no name that nothing defines today (a
 * local renamed since: another bug, a NameError) unless the old patch introduced that name itself
 * (`ownNames`, e.g. a typo that is the bug), and the deterministic generators compile it to an
 * exact definition (transfer measured) — or say it cannot be expressed in v2.1 (a patch-only candidate).
 */
export async function verifyDraftPatch(
  bug: BugRef,
  text: string,
  env: BuildEnvironment,
  allowed: readonly string[] | undefined,
  ownNames: ReadonlySet<string> = new Set(),
): Promise<DraftVerdict> {
  const { config, python } = env;
  let patch;
  try {
    patch = parseUnifiedDiff(text, bug.patchFile, 'patch');
  } catch (err) {
    if (err instanceof InputError) return { ok: false, stage: 'parse', reason: `it is not a patch bug-author can read: ${err.reason}` };
    throw err;
  }
  let inputs;
  try {
    inputs = await readBugInputs(bug, config, withDraftPatch(workingTreeFiles, bug.patchFile, text));
    if (!inputs.referenceFile) return { ok: false, stage: 'apply', reason: `its header names ${patch.targetPath}, which is not the bug's reference file` };
    applyLikeEngine(inputs.referenceText, patch, bug.patchFile, 'the reference');
  } catch (err) {
    if (err instanceof InputError) return { ok: false, stage: 'apply', reason: `it does not apply cleanly: ${err.reason}` };
    throw err;
  }
  let context;
  try {
    context = await prepareBugContext(inputs, config, python);
  } catch (err) {
    if (err instanceof InputError) return { ok: false, stage: 'python', reason: err.reason };
    throw err;
  }
  if (await sameProgram(python, context.referenceSource, context.patchedSource)) return { ok: false, stage: 'no-op', reason: 'it changes nothing in the program (a no-op)' };
  const functions = context.changedFunctions;
  const outside = allowed ? functions.filter((f) => !allowed.includes(f)) : [];
  if (outside.length || (allowed && functions.length === 0)) {
    const changes = functions.length ? functions.map((f) => `\`${f}\``).join(', ') : 'code outside every function';
    return { ok: false, stage: 'scope', reason: `it changes ${changes}, but the old patch changed only ${allowed!.map((f) => `\`${f}\``).join(', ')}` };
  }
  const undefinedNames = introducedUndefinedNames(context.afterTree, context.beforeTree).filter((name) => !ownNames.has(name));
  if (undefinedNames.length) {
    const names = undefinedNames.map((n) => `\`${n}\``).join(', ');
    return { ok: false, stage: 'names', reason: `it reads ${names}, which nothing defines in today's code (use today's names for the old patch's variables)` };
  }
  const chain = await runGeneratorChain(inputs, verifyTargetOf(inputs, config, env), env, () => Promise.resolve(context));
  if (chain.status === 'generated') {
    const transfer = chain.transfer;
    return {
      ok: true,
      functions,
      verification: {
        status: 'exact',
        generator: chain.generator,
        ...(transfer ? { transfer: { exact: transfer.exact, total: transfer.total, worst: transfer.worst } } : {}),
        ...(transfer?.referenceBound?.length ? { referenceBound: transfer.referenceBound } : {}),
      },
    };
  }
  if (chain.status === 'failed' && chain.inexpressible) return { ok: true, functions, verification: { status: 'patch-only', reason: chain.reasons.join('; ') } };
  if (chain.status === 'input-error') return { ok: false, stage: 'apply', reason: chain.error.reason };
  const why = chain.status === 'failed' ? chain.reasons.join('; ') || 'no generator is configured' : 'cancelled';
  return { ok: false, stage: 'compile', reason: `no generator made an exact definition of it: ${why}` };
}
