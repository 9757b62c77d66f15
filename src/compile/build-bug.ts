import path from 'node:path';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugContext, GenerationUsage } from '../generate/generator.js';
import type { Lane } from '../generate/work-lanes.js';
import type { BugDefinition } from '../injector/definition.js';
import { FORMAT_VERSION, readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput, type ExistingOutput } from '../outputs/existing-output.js';
import { outputHash, provenanceTransfer, provenanceUsage, recordedReview, recordedTransfer, recordedUsage, withProvenance } from '../outputs/provenance.js';
import { weakerReplacement } from '../outputs/replacement-guard.js';
import { writeDefinition } from '../outputs/write-definition.js';
import { packageVersion } from '../package-root.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import { unsoundLenientPlacement } from '../prepare/lenient-placement.js';
import { parseUnifiedDiff } from '../patch/parse-unified-diff.js';
import { PythonWorkerError } from '../python/python-errors.js';
import { watchWorkerFailures } from '../python/worker-failures.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import { rememberExactVerdict, verifyHandWritten, verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import type { VerifyTarget } from '../verify/verify-definition.js';
import { describeWriteError } from '../write/describe-write-error.js';
import { failedOutcome, internalFailure, type BugOutcome, type Outcome } from './bug-outcome.js';
import type { BuildEnvironment } from './build-environment.js';
import { recordBuildFailure } from '../cache/failure-record.js';
import { runGeneratorChain, type ChainProgress } from './generator-chain.js';
import { inputFailure } from './input-failure.js';
import { patchOnlyOutcome } from './patch-only-outcome.js';
import { writeDraft } from './write-draft.js';

/** A bug the JSON on disk does not settle: what generation starts from, read once. */
interface PendingBug {
  inputs: BugInputs;
  /** The JSON on disk when the build looked: it is written over only if it is still the same. */
  existing: ExistingOutput;
  /** What every definition of this bug is verified against (its student-style variants built once). */
  target: VerifyTarget;
  /** Snippet mode and lenient patch reading, said on every outcome of the bug. */
  notes: Pick<Outcome, 'snippet' | 'patchNotes'>;
}

/** A definition proved `exact` for a bug, about to be written. */
interface Candidate {
  definition: BugDefinition;
  generator: string;
  model?: string | undefined;
  proved: { transfer?: TransferReport | undefined; judgedBy?: string | undefined };
  /** What generating it used (an LLM's calls, tokens, cost). */
  usage?: GenerationUsage | undefined;
}

/** A bug's time in slots: what its legs so far took, and since when it holds the one it is in. */
type Clock = { spent: number; inSlotSince?: number };

/** A bug that gave its slot back to go on in another lane: all it keeps while it waits. */
interface Handoff {
  handoff: true;
  lane: Lane;
  /** The inputs the chain got this far with: if they changed meanwhile, the bug starts over. */
  inputHash: string;
  progress: ChainProgress;
}

const CANCELLED: Outcome = failedOutcome('cancelled');

/**
 * One bug through the pipeline: inputs → (up to date? stop) → before/after → generators in
 * order until one is `exact` → write with provenance, all in one slot of the work lane (see
 * WorkLanes: a bug's memory lives only as long as its slot; it never waits for a slot while
 * holding one). A bug whose chain reaches an LLM generator gives the work slot back and finishes
 * in the LLM lane. Python is touched only when needed. Never throws: whatever goes wrong fails
 * this bug, with the reason, and the run goes on; when the Python worker dies on this bug (after
 * its one restart), the bug fails saying so.
 */
export async function buildBug(bug: BugRef, env: BuildEnvironment, onDone?: (outcome: BugOutcome) => void): Promise<BugOutcome> {
  // A bug's time runs while it holds a slot, not while it waits for one (its first, or the LLM lane's after a hand-off).
  const clock: Clock = { spent: 0 };
  const elapsed = () => clock.spent + (clock.inSlotSince === undefined ? 0 : performance.now() - clock.inSlotSince);
  const watched = watchWorkerFailures(env.python);
  const workerFailure = (err?: unknown) => watched.failure() ?? (err instanceof PythonWorkerError ? err : undefined);
  const pythonFailure = (failure: PythonWorkerError) => failedOutcome(`Python failed: ${failure.message}`, { verdict: 'error', needsAuthoring: false });
  const watchedEnv: BuildEnvironment = { ...env, python: watched.python, pythonFailed: () => watched.failure() !== undefined };
  /** The bug's outcome, told to `onDone` while the bug still holds its slot (its line appears before the next bug starts). */
  const finish = (outcome: Outcome): BugOutcome => {
    const failure = outcome.status === 'failed' ? workerFailure() : undefined;
    const done: BugOutcome = { bug, ms: Math.round(elapsed()), ...(failure ? pythonFailure(failure) : outcome) };
    onDone?.(done);
    return done;
  };
  const leg = async (steps: () => Promise<Outcome | Handoff>): Promise<BugOutcome | Handoff> => {
    try {
      const reached = await steps();
      return 'handoff' in reached ? reached : finish(reached);
    } catch (err) {
      const failure = workerFailure(err);
      if (failure) return finish(pythonFailure(failure));
      const crashed = internalFailure(bug, err, elapsed());
      onDone?.(crashed);
      return crashed;
    }
  };
  let reached = await inLane(env, 'work', clock, finish, () => leg(() => (bug.patchOnly ? patchOnlyOutcome(bug, env.config) : buildSteps(bug, watchedEnv, 'work'))));
  while ('handoff' in reached) {
    const from = reached;
    reached = await inLane(env, from.lane, clock, finish, () => leg(() => buildSteps(bug, watchedEnv, from.lane, from)));
  }
  return reached;
}

/** A leg of the bug in a lane's slot, unless the run was cancelled while the bug waited for it. */
function inLane<T>(env: BuildEnvironment, lane: Lane, clock: Clock, finish: (outcome: Outcome) => BugOutcome, task: () => Promise<T>): Promise<T | BugOutcome> {
  return env.lanes.run(lane, async () => {
    if (env.signal?.aborted) return finish(CANCELLED);
    clock.inSlotSince = performance.now();
    try {
      return await task();
    } finally {
      clock.spent += performance.now() - clock.inSlotSince;
      clock.inSlotSince = undefined;
    }
  });
}

/**
 * The bug from its inputs to its written JSON, in the slot of `lane`. Resumed after a hand-off,
 * the inputs are read again (nothing heavy was kept while waiting) and the chain goes on where
 * it stopped, unless they changed meanwhile.
 */
async function buildSteps(bug: BugRef, env: BuildEnvironment, lane: Lane, resumed?: Handoff): Promise<Outcome | Handoff> {
  const checked = await existingOutcome(bug, env);
  if ('status' in checked) return checked;
  const { inputs, target, notes } = checked;

  let context: BugContext | undefined;
  const bugContext = async () => (context ??= await prepareBugContext(inputs, env.config, env.python));
  // Placed leniently, a patch whose new code reads names today's code renamed is another bug (a NameError): rotted, not compiled.
  const unsound = await unsoundLenientPlacement(inputs, parseUnifiedDiff(inputs.patchText, bug.patchFile), env, bugContext);
  if (unsound) return inputFailure(unsound, env);
  const progress = resumed && resumed.inputHash === inputs.inputHash ? { progress: resumed.progress } : {};
  const chain = await runGeneratorChain(inputs, target, env, bugContext, { lane, ...progress });
  switch (chain.status) {
    case 'cancelled':
      return CANCELLED;
    case 'handoff':
      return { handoff: true, lane: chain.lane, inputHash: inputs.inputHash, progress: chain.progress };
    case 'input-error':
      return inputFailure(chain.error, env);
    case 'generated': {
      const { generator, definition, model, transfer, judgedBy, faults, stack, askedAgain, notCrossChecked, usage } = chain;
      const written = await writeGenerated(bug, env, checked, { definition, generator, model, proved: { transfer, judgedBy }, usage });
      // Generators that failed by a fault before this one succeeded, or its own failure last time, leave a trace on the bug's line.
      const said = [
        ...(inputs.snippetReason ? [inputs.snippetReason] : []),
        ...(faults?.length ? [`${faults.join('; ')}; built by ${generator} instead`] : []),
        ...(askedAgain ? [`${generator}: ${askedAgain}`] : []),
      ];
      const reason = written.status === 'built' && said.length ? { reason: said.join('; ') } : {};
      return { generator, ...written, ...reason, ...(stack ? { stack } : {}), ...(notCrossChecked ? { notCrossChecked } : {}), ...notes };
    }
    case 'failed': {
      const { status: _status, reasons, draft, ...carried } = chain;
      const aborted = env.signal?.aborted === true;
      let draftFile: string | undefined;
      let draftProblem = '';
      if (draft && !aborted) {
        try {
          draftFile = await writeDraft(env.config.root, bug, draft);
        } catch (err) {
          draftProblem = ` (the draft could not be written: ${describeWriteError(err)})`;
        }
      }
      const reason = (reasons.join('; ') || 'no generator is configured') + draftProblem;
      if (!aborted && !env.pythonFailed?.() && chain.needsAuthoring && reasons.length > 0) {
        await recordBuildFailure(env.cache, inputs.inputHash, { reason, needsAuthoring: true, ...(draftFile ? { draftFile: relativeToRoot(env.config, draftFile) } : {}), ...(chain.inexpressible ? { inexpressible: true } : {}) });
      }
      return failedOutcome(reason, { ...carried, ...(draftFile ? { draftFile } : {}), ...notes });
    }
  }
}

/**
 * What the JSON on disk already settles: an up-to-date or hand-written JSON needs no generator,
 * a stale one that still injects exactly only needs its provenance refreshed. Else the bug's
 * inputs, the JSON as it was, and the target to verify against, for generation.
 */
async function existingOutcome(bug: BugRef, env: BuildEnvironment): Promise<Outcome | PendingBug> {
  let inputs: BugInputs;
  let existing: ExistingOutput;
  try {
    // The inputs first: their paths are checked (see assertBugPathsInside) before anything of the bug is read.
    inputs = await readBugInputs(bug, env.config);
    existing = await readExistingOutput(bug.outputFile);
  } catch (err) {
    if (err instanceof InputError) return inputFailure(err, env);
    throw err;
  }
  const pending: PendingBug = { inputs, existing, target: verifyTargetOf(inputs, env.config, env), notes: inputNotes(inputs) };
  if (env.force) return pending;
  const { target, notes } = pending;
  const outputLabel = relativeToRoot(env.config, bug.outputFile);
  if (existing.state === 'unreadable') {
    return failedOutcome(`${outputLabel} is ${existing.reason}; it was left untouched`, {
      hint: `fix or delete ${outputLabel}, or run with --force to regenerate it`,
      inputFile: bug.outputFile,
    });
  }
  // Inputs weaker than those the JSON was verified with (no reference found) make any candidate weaker: no need to generate one.
  const weaker = weakerReplacement(existing, { verdict: 'exact', snippet: inputs.snippet });
  if (weaker) return { ...keptStronger(weaker, bug, env), ...notes };
  if (existing.state === 'manual' || existing.state === 'hand-edited') {
    // Judged by what the engine does with it, not by the full schema generated JSON meets.
    const v = await verifyHandWritten(existing.definition, target, env.python, env.cache);
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
      ...(v.notCrossChecked ? { notCrossChecked: true } : {}),
      ...notes,
    };
  }
  const recorded = existing.state === 'generated' ? existing.provenance : undefined;
  if (recorded && recorded.input_hash === inputs.inputHash && (recorded.transfer || inputs.snippet)) {
    const transfer = recorded.transfer ? { transfer: recordedTransfer(recorded.transfer) } : {};
    return { status: 'up-to-date', generator: recorded.generator, verdict: 'exact', written: false, ...modelOf(recorded.model), ...transfer, ...notes };
  }
  if (existing.state === 'generated') {
    // Stale (or written before transfer was measured): if the JSON still injects exactly into the
    // inputs and never wrongly into a student-style variant, only provenance changes.
    const v = await verifyWithCache(existing.definition, target, env.python, env.cache);
    if (v.verdict === 'exact' && v.transfer?.worst !== 'wrong') {
      const { generator, model } = existing.provenance;
      const written = await writeGenerated(bug, env, pending, { definition: existing.definition, generator, model, proved: v });
      const why = existing.provenance.input_hash === inputs.inputHash ? 'transfer to student-style code measured' : 'still exact for the changed inputs';
      return { generator, ...written, ...(written.status === 'built' ? { reason: `${why}: provenance refreshed` } : {}), ...(v.notCrossChecked ? { notCrossChecked: true } : {}), ...notes };
    }
  }
  return pending;
}

/** The verified JSON stays; the bug fails until the inputs are right again (or, for weaker inputs, --force). */
function keptStronger(why: string, bug: BugRef, env: BuildEnvironment): Outcome {
  const outputLabel = relativeToRoot(env.config, bug.outputFile);
  const hint = env.force
    ? `the JSON on disk still verifies; to replace it with the weaker one anyway, delete ${outputLabel} and build again`
    : `check the project root and \`sourceRoots\` (the build ran in ${env.config.root}), or replace it anyway: bug-author build --force ${relativeToRoot(env.config, bug.patchFile)}`;
  return failedOutcome(`${outputLabel} kept: ${why}`, { hint, inputFile: bug.outputFile, needsAuthoring: false });
}

/** How leniently the patch was read or applied, and snippet mode, for the build line. */
function inputNotes(inputs: BugInputs): Pick<Outcome, 'snippet' | 'patchNotes'> {
  return {
    ...(inputs.snippet ? { snippet: true } : {}),
    ...(inputs.patchNotes.length ? { patchNotes: inputs.patchNotes.map(describePatchNote) } : {}),
  };
}

function modelOf(model: string | undefined): { model?: string } {
  return model ? { model } : {};
}

/**
 * Writes the stamped JSON (called in the work lane), unless the run was cancelled, the JSON on
 * disk changed since the build read it (someone saved their own meanwhile), or the candidate
 * would replace a stronger definition. `built` says whether the file changed.
 */
async function writeGenerated(bug: BugRef, env: BuildEnvironment, pending: PendingBug, candidate: Candidate): Promise<Outcome> {
  if (env.signal?.aborted) return CANCELLED;
  const { config } = env;
  const { inputs, target } = pending;
  const { transfer } = candidate.proved;
  const output = relativeToRoot(config, bug.outputFile);
  const reference = inputs.referenceFile ? relativeToRoot(config, inputs.referenceFile) : undefined;
  const onDisk = await readExistingOutput(bug.outputFile);
  if (textOf(onDisk) !== textOf(pending.existing)) {
    // Another build (or watch) of this project wrote it meanwhile, from these very inputs: no conflict.
    if (onDisk.state === 'generated' && onDisk.provenance.input_hash === inputs.inputHash && (onDisk.provenance.transfer || inputs.snippet)) {
      const recorded = onDisk.provenance;
      return { status: 'up-to-date', generator: recorded.generator, verdict: 'exact', written: false, reason: 'written meanwhile by another build of this project', ...modelOf(recorded.model), ...(recorded.transfer ? { transfer: recordedTransfer(recorded.transfer) } : {}) };
    }
    return failedOutcome(`${output} changed while this bug was being built, so it was left as it is`, {
      hint: 'build again to verify it',
      inputFile: bug.outputFile,
      needsAuthoring: false,
    });
  }
  const current = onDisk.state === 'generated' ? await verifyWithCache(onDisk.definition, target, env.python, env.cache) : undefined;
  const weaker = weakerReplacement(onDisk, { verdict: 'exact', snippet: inputs.snippet, transfer, reference }, { force: env.force, ...(current ? { current } : {}) });
  if (weaker) return keptStronger(weaker, bug, env);
  const stamped = withProvenance(candidate.definition, {
    generator: candidate.generator,
    ...modelOf(candidate.model),
    input_hash: inputs.inputHash,
    inputs: {
      patch: relativeToRoot(config, bug.patchFile),
      ...(inputs.symptomFile ? { symptom: relativeToRoot(config, inputs.symptomFile) } : {}),
      ...(reference ? { reference } : {}),
    },
    format: FORMAT_VERSION,
    tool_version: packageVersion,
    verdict: 'exact',
    ...(inputs.snippet ? { snippet: true } : {}),
    ...(transfer ? { transfer: provenanceTransfer(transfer) } : {}),
    // A review stays with the JSON; it names the output it applies to, so a new definition shows it stale.
    ...(onDisk.state === 'missing' || onDisk.state === 'unreadable' ? {} : recordedReview(onDisk.definition)),
    // The generation that produced this definition: this one, else (the same definition written again) the one recorded.
    ...(candidate.usage ? { usage: provenanceUsage(candidate.usage) } : onDisk.state === 'generated' && outputHash(onDisk.definition) === outputHash(candidate.definition) ? recordedUsage(onDisk.definition) : {}),
  });
  // `check` trusts a generated JSON only with a cached `exact` verdict: record the one we just proved.
  await rememberExactVerdict(stamped, target, env.cache, candidate.proved);
  try {
    const written = await writeDefinition(bug.outputFile, stamped);
    return { status: 'built', verdict: 'exact', written, ...modelOf(candidate.model), ...(transfer ? { transfer } : {}), ...(candidate.usage ? { usage: candidate.usage } : {}) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return failedOutcome(`cannot write ${output}: ${describeWriteError(err)}${code ? ` (${code})` : ''}; the definition verified exact but was not saved`, {
      verdict: 'exact',
      hint: `make ${relativeToRoot(config, path.dirname(bug.outputFile))} writable and build again`,
      inputFile: bug.outputFile,
      needsAuthoring: false,
    });
  }
}

function textOf(output: ExistingOutput): string | undefined {
  return output.state === 'missing' ? undefined : output.text;
}
