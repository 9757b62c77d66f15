import path from 'node:path';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugContext } from '../generate/generator.js';
import type { BugDefinition } from '../injector/definition.js';
import { FORMAT_VERSION, readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput, type ExistingOutput } from '../outputs/existing-output.js';
import { provenanceTransfer, withProvenance, type ProvenanceTransfer } from '../outputs/provenance.js';
import { weakerReplacement } from '../outputs/replacement-guard.js';
import { writeDefinition } from '../outputs/write-definition.js';
import { packageVersion } from '../package-root.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import { PythonWorkerError } from '../python/python-errors.js';
import { watchWorkerFailures } from '../python/worker-failures.js';
import type { TransferOutcome, TransferReport } from '../transfer/check-transfer.js';
import type { VariantKind } from '../transfer/student-variants.js';
import { rememberExactVerdict, verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import { internalFailure, type BugOutcome } from './bug-outcome.js';
import type { BuildEnvironment } from './build-environment.js';
import { recordBuildFailure } from './failure-record.js';
import { runGeneratorChain } from './generator-chain.js';
import { inputFailure } from './input-failure.js';
import { patchOnlyOutcome } from './patch-only-outcome.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { writeDraft } from './write-draft.js';

type Outcome = Omit<BugOutcome, 'bug' | 'ms'>;

/**
 * One bug through the pipeline: inputs → (up to date? stop) → before/after → generators in
 * order until one is `exact` → write with provenance. Python is touched only when needed.
 * Never throws: whatever goes wrong fails this bug, with the reason, and the run goes on; when
 * the Python worker dies on this bug (after its one restart), the bug fails saying so.
 */
export async function buildBug(bug: BugRef, env: BuildEnvironment): Promise<BugOutcome> {
  // A bug's time runs from when it gets its first slot, not while it waits for one.
  const clock: { started?: number } = {};
  const elapsed = () => performance.now() - (clock.started ?? performance.now());
  const watched = watchWorkerFailures(env.python);
  const workerFailure = (err?: unknown) => watched.failure() ?? (err instanceof PythonWorkerError ? err : undefined);
  const failedOn = (failure: PythonWorkerError): BugOutcome => ({
    bug,
    ms: Math.round(elapsed()),
    status: 'failed',
    written: false,
    verdict: 'error',
    reason: `Python failed: ${failure.message}`,
    needsAuthoring: false,
  });
  const watchedEnv: BuildEnvironment = { ...env, python: watched.python, pythonFailed: () => watched.failure() !== undefined };
  let outcome: Outcome;
  try {
    outcome = bug.patchOnly ? await patchOnlyOutcome(bug, env.config) : await buildSteps(bug, watchedEnv, clock);
  } catch (err) {
    const failure = workerFailure(err);
    return failure ? failedOn(failure) : internalFailure(bug, err, elapsed());
  }
  const failure = outcome.status === 'failed' ? workerFailure() : undefined;
  return failure ? failedOn(failure) : { bug, ms: Math.round(elapsed()), ...outcome };
}

async function buildSteps(bug: BugRef, env: BuildEnvironment, clock: { started?: number }): Promise<Outcome> {
  const checked = await env.lanes.run('work', () => {
    clock.started = performance.now();
    return existingOutcome(bug, env);
  });
  if ('status' in checked) return checked;
  const { inputs } = checked;
  const snippet = { ...(inputs.snippet ? { snippet: true as const } : {}), ...patchNotesOf(inputs) };

  let context: BugContext | undefined;
  const bugContext = async () => (context ??= await prepareBugContext(inputs, env.config, env.python));
  const chain = await runGeneratorChain(inputs, env, bugContext);
  switch (chain.status) {
    case 'cancelled':
      return { status: 'failed', written: false, reason: 'cancelled' };
    case 'input-error':
      return inputFailure(chain.error, env);
    case 'generated': {
      const usage = chain.usage ? { usage: chain.usage } : {};
      const transfer = chain.transfer ? { transfer: chain.transfer } : {};
      const written = await env.lanes.run('work', () => writeGenerated(bug, env, inputs, chain.definition, chain.generator, chain.model, { transfer: chain.transfer, judgedBy: chain.judgedBy }));
      if (typeof written !== 'boolean') return { ...written, generator: chain.generator, ...usage, ...snippet };
      return {
        status: 'built',
        generator: chain.generator,
        verdict: 'exact',
        written,
        ...modelOf(chain.model),
        ...(inputs.snippetReason ? { reason: inputs.snippetReason } : {}),
        ...usage,
        ...transfer,
        ...snippet,
      };
    }
    case 'failed': {
      const aborted = env.signal?.aborted === true;
      let draftFile: string | undefined;
      let draftProblem = '';
      if (chain.draft && !aborted) {
        try {
          draftFile = await writeDraft(bug, chain.draft);
        } catch (err) {
          draftProblem = ` (the draft could not be written: ${writeProblem(err)})`;
        }
      }
      const reason = (chain.reasons.join('; ') || 'no generator is configured') + draftProblem;
      if (!aborted && !env.pythonFailed?.() && chain.needsAuthoring && chain.reasons.length > 0) {
        await recordBuildFailure(env.cache, inputs.inputHash, { reason, needsAuthoring: true, ...(draftFile ? { draftFile: relativeToRoot(env.config, draftFile) } : {}) });
      }
      return {
        status: 'failed',
        written: false,
        reason,
        ...(chain.hint ? { hint: chain.hint } : {}),
        ...(draftFile ? { draftFile } : {}),
        needsAuthoring: chain.needsAuthoring,
        ...(chain.stack ? { stack: chain.stack } : {}),
        ...(chain.usage ? { usage: chain.usage } : {}),
        ...(chain.inexpressible ? { inexpressible: true } : {}),
        ...snippet,
      };
    }
  }
}

/**
 * What the JSON on disk already settles: an up-to-date or hand-written JSON needs no generator,
 * a stale one that still injects exactly only needs its provenance refreshed. Else the inputs
 * for generation.
 */
async function existingOutcome(bug: BugRef, env: BuildEnvironment): Promise<Outcome | { inputs: BugInputs }> {
  let inputs: BugInputs;
  let existing: ExistingOutput;
  try {
    [inputs, existing] = await Promise.all([readBugInputs(bug, env.config), readExistingOutput(bug.outputFile)]);
  } catch (err) {
    if (err instanceof InputError) return inputFailure(err, env);
    throw err;
  }
  if (env.force) return { inputs };
  const outputLabel = relativeToRoot(env.config, bug.outputFile);
  const verifyTarget = verifyTargetOf(inputs, env.config, env);
  const snippet = { ...(inputs.snippet ? { snippet: true as const } : {}), ...patchNotesOf(inputs) };
  if (existing.state === 'unreadable') {
    return {
      status: 'failed',
      written: false,
      reason: `${outputLabel} is ${existing.reason}; it was left untouched`,
      hint: `fix or delete ${outputLabel}, or run with --force to regenerate it`,
      inputFile: bug.outputFile,
    };
  }
  const weaker = weakerReplacement(existing, { verdict: 'exact', snippet: inputs.snippet });
  if (weaker) return { ...keptStronger(weaker, outputLabel, bug, env), ...snippet };
  if (existing.state === 'manual' || existing.state === 'hand-edited') {
    const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache);
    const kind = existing.state === 'manual' ? 'hand-written' : 'hand-edited after generation';
    const bad = v.verdict === 'no-match' || v.verdict === 'error';
    return {
      status: bad ? 'failed' : 'manual',
      verdict: v.verdict,
      generator: 'manual',
      written: false,
      reason: `${kind} JSON kept${v.reason ? `: ${v.reason}` : ''}`,
      ...(bad ? { hint: `fix ${outputLabel} by hand, or run \`bug-author build --force ${relativeToRoot(env.config, bug.patchFile)}\` to replace it` } : {}),
      ...(v.diff ? { diff: v.diff } : {}),
      ...(v.transfer ? { transfer: v.transfer } : {}),
      ...snippet,
    };
  }
  const recorded = existing.state === 'generated' ? existing.provenance : undefined;
  if (recorded && recorded.input_hash === inputs.inputHash && (recorded.transfer || inputs.snippet)) {
    return { status: 'up-to-date', generator: recorded.generator, verdict: 'exact', written: false, ...modelOf(recorded.model), ...transferOf(recorded.transfer), ...snippet };
  }
  if (existing.state === 'generated') {
    // Stale (or written before transfer was measured): if the JSON still injects exactly into the
    // inputs and never wrongly into a student-style variant, only provenance changes.
    const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache);
    if (v.verdict === 'exact' && v.transfer?.worst !== 'wrong') {
      const { generator, model } = existing.provenance;
      const transfer = v.transfer ? { transfer: v.transfer } : {};
      const written = await writeGenerated(bug, env, inputs, existing.definition, generator, model, v);
      if (typeof written !== 'boolean') return { ...written, generator, ...transfer, ...snippet };
      const why = existing.provenance.input_hash === inputs.inputHash ? 'transfer to student-style code measured' : 'still exact for the changed inputs';
      return { status: 'built', generator, verdict: 'exact', written, reason: `${why}: provenance refreshed`, ...transfer, ...snippet };
    }
  }
  return { inputs };
}

/** The verified JSON stays; the bug fails until the inputs are right again (or --force). */
function keptStronger(why: string, outputLabel: string, bug: BugRef, env: BuildEnvironment): Outcome {
  return {
    status: 'failed',
    written: false,
    reason: `${outputLabel} kept: ${why}`,
    hint: `check the project root and \`sourceRoots\` (the build ran in ${env.config.root}), or replace it anyway: bug-author build --force ${relativeToRoot(env.config, bug.patchFile)}`,
    inputFile: bug.outputFile,
    needsAuthoring: false,
  };
}

/** How leniently the patch was read or applied, for the build line. */
function patchNotesOf(inputs: BugInputs): { patchNotes?: string[] } {
  return inputs.patchNotes.length ? { patchNotes: inputs.patchNotes.map(describePatchNote) } : {};
}

function modelOf(model: string | undefined): { model?: string } {
  return model ? { model } : {};
}

/** A recorded transfer as a bug outcome carries it (the per-variant reasons are not recorded). */
function transferOf(recorded: ProvenanceTransfer | undefined): { transfer?: TransferReport } {
  if (!recorded) return {};
  const variants = Object.entries(recorded.failing ?? {}).map(([kind, outcome]) => ({ kind: kind as VariantKind, outcome: outcome as TransferOutcome }));
  return {
    transfer: {
      exact: recorded.exact,
      total: recorded.total,
      worst: recorded.worst,
      variants,
      ...(recorded.reference_bound ? { referenceBound: recorded.reference_bound } : {}),
    },
  };
}


/** Writes the stamped JSON: whether it changed the file, or the failure when the file cannot be written. */
async function writeGenerated(
  bug: BugRef,
  env: BuildEnvironment,
  inputs: BugInputs,
  definition: BugDefinition,
  generator: string,
  model: string | undefined,
  proved: { transfer?: TransferReport | undefined; judgedBy?: string | undefined },
): Promise<boolean | Outcome> {
  const { transfer } = proved;
  const config = env.config;
  const stamped = withProvenance(definition, {
    generator,
    ...(model ? { model } : {}),
    input_hash: inputs.inputHash,
    inputs: {
      patch: relativeToRoot(config, bug.patchFile),
      ...(inputs.symptomFile ? { symptom: relativeToRoot(config, inputs.symptomFile) } : {}),
      ...(inputs.referenceFile ? { reference: relativeToRoot(config, inputs.referenceFile) } : {}),
    },
    format: FORMAT_VERSION,
    tool_version: packageVersion,
    verdict: 'exact',
    ...(inputs.snippet ? { snippet: true } : {}),
    ...(transfer ? { transfer: provenanceTransfer(transfer) } : {}),
  });
  // `check` trusts a generated JSON only with a cached `exact` verdict: record the one we just proved.
  await rememberExactVerdict(stamped, verifyTargetOf(inputs, config, env), env.cache, proved);
  try {
    return await writeDefinition(bug.outputFile, stamped);
  } catch (err) {
    const output = relativeToRoot(config, bug.outputFile);
    return {
      status: 'failed',
      verdict: 'exact',
      written: false,
      reason: `cannot write ${output}: ${writeProblem(err)}; the definition verified exact but was not saved`,
      hint: `make ${relativeToRoot(config, path.dirname(bug.outputFile))} writable and build again`,
      inputFile: bug.outputFile,
      needsAuthoring: false,
    };
  }
}

const WRITE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'it is a directory',
};

function writeProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code) return `${WRITE_PROBLEMS[code] ?? (err as Error).message} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
