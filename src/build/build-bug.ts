import path from 'node:path';
import { contentHash } from '../cache/hash.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugContext, GeneratorContext, GeneratorPlugin, GeneratorResult } from '../generate/generator.js';
import type { BugDefinition } from '../injector/definition.js';
import { FORMAT_VERSION, readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput, type ExistingOutput } from '../outputs/existing-output.js';
import { withProvenance } from '../outputs/provenance.js';
import { writeDefinition } from '../outputs/write-definition.js';
import { packageVersion } from '../package-root.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import { PythonWorkerError } from '../python/python-errors.js';
import { watchWorkerFailures } from '../python/worker-failures.js';
import { rememberExactVerdict, verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import { verifyDefinition, type Verification } from '../verify/verify-definition.js';
import type { BugOutcome } from './bug-outcome.js';
import type { BuildEnvironment } from './build-environment.js';
import { recordBuildFailure } from './failure-record.js';
import { writeDraft } from './write-draft.js';

/**
 * One bug through the pipeline: inputs → (up to date? stop) → before/after → generators in
 * order until one is `exact` → write with provenance. Python is touched only when needed.
 * When the Python worker dies on this bug (after its one restart), the bug fails saying so.
 */
export async function buildBug(bug: BugRef, env: BuildEnvironment): Promise<BugOutcome> {
  const started = performance.now();
  const watched = watchWorkerFailures(env.python);
  const workerFailure = (err?: unknown) => watched.failure() ?? (err instanceof PythonWorkerError ? err : undefined);
  const failedOn = (failure: PythonWorkerError): BugOutcome => ({
    bug,
    ms: Math.round(performance.now() - started),
    status: 'failed',
    written: false,
    verdict: 'error',
    reason: `Python failed: ${failure.message}`,
    needsAuthoring: false,
  });
  try {
    const outcome = await buildBugWith(bug, { ...env, python: watched.python }, () => watched.failure() !== undefined);
    const failure = outcome.status === 'failed' ? workerFailure() : undefined;
    return failure ? failedOn(failure) : outcome;
  } catch (err) {
    const failure = workerFailure(err);
    if (failure) return failedOn(failure);
    throw err;
  }
}

async function buildBugWith(bug: BugRef, env: BuildEnvironment, workerFailed: () => boolean): Promise<BugOutcome> {
  const started = performance.now();
  const done = (outcome: Omit<BugOutcome, 'bug' | 'ms'>): BugOutcome => ({ bug, ms: Math.round(performance.now() - started), ...outcome });

  let inputs: BugInputs;
  let existing: ExistingOutput;
  try {
    [inputs, existing] = await Promise.all([readBugInputs(bug, env.config), readExistingOutput(bug.outputFile)]);
  } catch (err) {
    if (err instanceof InputError) return done(inputFailure(err, env));
    throw err;
  }
  const outputLabel = relativeToRoot(env.config, bug.outputFile);
  const verifyTarget = verifyTargetOf(inputs, env.config);
  const snippet = inputs.snippet ? { snippet: true as const } : {};

  if (!env.force) {
    if (existing.state === 'unreadable') {
      return done({
        status: 'failed',
        written: false,
        reason: `${outputLabel} is ${existing.reason}; it was left untouched`,
        hint: `fix or delete ${outputLabel}, or run with --force to regenerate it`,
        inputFile: bug.outputFile,
      });
    }
    if (existing.state === 'manual' || existing.state === 'hand-edited') {
      const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache, env.judge);
      const kind = existing.state === 'manual' ? 'hand-written' : 'hand-edited after generation';
      const bad = v.verdict === 'no-match' || v.verdict === 'error';
      return done({
        status: bad ? 'failed' : 'manual',
        verdict: v.verdict,
        generator: 'manual',
        written: false,
        reason: `${kind} JSON kept${v.reason ? `: ${v.reason}` : ''}`,
        ...(bad ? { hint: `fix ${outputLabel} by hand, or run \`bug-author build --force ${relativeToRoot(env.config, bug.patchFile)}\` to replace it` } : {}),
        ...(v.diff ? { diff: v.diff } : {}),
        ...snippet,
      });
    }
    if (existing.state === 'generated' && existing.provenance.input_hash === inputs.inputHash) {
      return done({ status: 'up-to-date', generator: existing.provenance.generator, verdict: 'exact', written: false, ...modelOf(existing.provenance.model), ...snippet });
    }
    if (existing.state === 'generated') {
      // Stale: if the JSON still injects exactly into the new inputs, only provenance changes.
      const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache, env.judge);
      if (v.verdict === 'exact') {
        const written = await writeGenerated(bug, env, inputs, existing.definition, existing.provenance.generator, existing.provenance.model, v.judgedBy);
        return done({ status: 'built', generator: existing.provenance.generator, verdict: 'exact', written, reason: 'still exact for the changed inputs: provenance refreshed', ...snippet });
      }
    }
  }

  let context: BugContext | undefined;
  const bugContext = async () => (context ??= await prepareBugContext(inputs, env.config, env.python));
  const reasons: string[] = [];
  let hint: string | undefined;
  let draft: { definition: BugDefinition; verification: Verification; generator: string } | undefined;
  let needsAuthoring = true;

  for (const generator of env.generators) {
    if (env.signal?.aborted) return done({ status: 'failed', written: false, reason: 'cancelled' });
    const availability = generator.available?.(env.env ?? process.env) ?? { ok: true };
    if (!availability.ok) {
      reasons.push(`${generator.name}: ${availability.reason}`);
      hint ??= availability.hint;
      continue;
    }
    let result: GeneratorResult;
    try {
      result = await runGenerator(generator, inputs, bugContext, env, workerFailed);
    } catch (err) {
      if (err instanceof InputError) return done(inputFailure(err, env));
      throw err;
    }
    if (result.status === 'generated') {
      const written = await writeGenerated(bug, env, inputs, result.definition, generator.name, result.model, result.verification.judgedBy);
      return done({
        status: 'built',
        generator: generator.name,
        verdict: 'exact',
        written,
        ...modelOf(result.model),
        ...(inputs.snippetReason ? { reason: inputs.snippetReason } : {}),
        ...(result.usage ? { usage: result.usage } : {}),
        ...snippet,
      });
    }
    reasons.push(`${generator.name}: ${result.reason}`);
    if (result.status === 'failed' && result.draft && (!draft || result.draft.verification.verdict === 'differs')) {
      draft = { ...result.draft, generator: generator.name };
    }
    if (result.status === 'failed' && result.fatal) needsAuthoring = false;
  }

  const draftFile = draft && !env.signal?.aborted ? await writeDraft(bug, draft) : undefined;
  if (!env.signal?.aborted && !workerFailed() && needsAuthoring && reasons.length > 0) {
    await recordBuildFailure(env.cache, inputs.inputHash, { reason: reasons.join('; '), needsAuthoring, ...(draftFile ? { draftFile: relativeToRoot(env.config, draftFile) } : {}) });
  }
  return done({
    status: 'failed',
    written: false,
    reason: reasons.join('; ') || 'no generator is configured',
    ...(hint ? { hint } : {}),
    ...(draftFile ? { draftFile } : {}),
    needsAuthoring,
    ...snippet,
  });
}

function modelOf(model: string | undefined): { model?: string } {
  return model ? { model } : {};
}

function inputFailure(err: InputError, env: BuildEnvironment): Omit<BugOutcome, 'bug' | 'ms'> {
  const file = path.isAbsolute(err.file) ? relativeToRoot(env.config, err.file) : err.file;
  return {
    status: 'failed',
    written: false,
    verdict: 'error',
    reason: `${file}${err.line ? `:${err.line}` : ''}: ${err.reason}`,
    inputFile: err.file,
    needsAuthoring: false,
  };
}

/** Cached by the bug's input hash and the generator's own settings: unchanged inputs never re-generate. */
async function runGenerator(
  generator: GeneratorPlugin,
  inputs: BugInputs,
  bugContext: () => Promise<BugContext>,
  env: BuildEnvironment,
  workerFailed: () => boolean,
): Promise<GeneratorResult> {
  const key = contentHash('generate', packageVersion, generator.name, generator.settingsKey?.(env.goldenExamples) ?? '', inputs.inputHash);
  const cached = await env.cache.get<GeneratorResult>('results', key);
  if (cached && typeof cached.status === 'string') return cached;
  const context = await bugContext();
  const patchedTree = { ok: true as const, text: context.patchedSource, tree: context.afterTree };
  const generatorContext: GeneratorContext = {
    python: env.python,
    root: env.config.root,
    cacheDir: env.config.cacheDir,
    goldenExamples: env.goldenExamples,
    env: env.env ?? process.env,
    ...(env.signal ? { signal: env.signal } : {}),
    verify: (definition) =>
      verifyDefinition(
        definition,
        { reference: context.referenceSource, patched: context.patchedSource, label: context.referenceFile ?? context.targetPath, snippet: context.snippet, patchedTree },
        env.python,
        env.judge,
      ),
  };
  const result = await generator.generate(context, generatorContext);
  // A result reached while the Python worker was failing is not the generator's answer: never cached.
  const transient = (result.status === 'failed' && (result.fatal || result.retryable || env.signal?.aborted)) || workerFailed();
  if (!transient) await env.cache.put('results', key, stripOutputs(result));
  return result;
}

function stripOutputs(result: GeneratorResult): GeneratorResult {
  if (result.status !== 'generated') return result;
  const { output: _output, ...verification } = result.verification;
  return { ...result, verification };
}

async function writeGenerated(
  bug: BugRef,
  env: BuildEnvironment,
  inputs: BugInputs,
  definition: BugDefinition,
  generator: string,
  model: string | undefined,
  judgedBy: string | undefined,
): Promise<boolean> {
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
  });
  // `check` trusts a generated JSON only with a cached `exact` verdict: record the one we just proved.
  await rememberExactVerdict(stamped, verifyTargetOf(inputs, config), env.cache, judgedBy);
  return writeDefinition(bug.outputFile, stamped);
}
