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
import { rememberExactVerdict, verifyTargetOf, verifyWithCache } from '../verify/cached-verdict.js';
import { verifyDefinition, type Verification } from '../verify/verify-definition.js';
import type { BugOutcome } from './bug-outcome.js';
import type { BuildEnvironment } from './build-environment.js';
import { recordBuildFailure } from './failure-record.js';
import { inputFailure } from './input-failure.js';
import { patchOnlyOutcome } from './patch-only-outcome.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { writeDraft } from './write-draft.js';

/**
 * One bug through the pipeline: inputs → (up to date? stop) → before/after → generators in
 * order until one is `exact` → write with provenance. Pyodide is touched only when needed.
 */
export async function buildBug(bug: BugRef, env: BuildEnvironment): Promise<BugOutcome> {
  const started = performance.now();
  let patchNotes: string[] = [];
  const done = (outcome: Omit<BugOutcome, 'bug' | 'ms'>): BugOutcome => ({ bug, ms: Math.round(performance.now() - started), ...outcome, ...(patchNotes.length ? { patchNotes } : {}) });
  if (bug.patchOnly) return done(await patchOnlyOutcome(bug, env.config));

  let inputs: BugInputs;
  let existing: ExistingOutput;
  try {
    [inputs, existing] = await Promise.all([readBugInputs(bug, env.config), readExistingOutput(bug.outputFile)]);
  } catch (err) {
    if (err instanceof InputError) return done(inputFailure(err, env));
    throw err;
  }
  patchNotes = inputs.patchNotes.map(describePatchNote);
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
      const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache);
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
      const v = await verifyWithCache(existing.definition, verifyTarget, env.python, env.cache);
      if (v.verdict === 'exact') {
        const written = await writeGenerated(bug, env, inputs, existing.definition, existing.provenance.generator, existing.provenance.model);
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
  let inexpressible = false;

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
      result = await runGenerator(generator, inputs, bugContext, env);
    } catch (err) {
      if (err instanceof InputError) return done(inputFailure(err, env));
      throw err;
    }
    if (result.status === 'generated') {
      const written = await writeGenerated(bug, env, inputs, result.definition, generator.name, result.model);
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
    if (result.status === 'unsupported') inexpressible = true;
    if (result.status === 'failed' && result.draft && (!draft || result.draft.verification.verdict === 'differs')) {
      draft = { ...result.draft, generator: generator.name };
    }
    if (result.status === 'failed' && result.fatal) needsAuthoring = false;
  }

  const draftFile = draft && !env.signal?.aborted ? await writeDraft(bug, draft) : undefined;
  if (!env.signal?.aborted && needsAuthoring && reasons.length > 0) {
    await recordBuildFailure(env.cache, inputs.inputHash, { reason: reasons.join('; '), needsAuthoring, ...(draftFile ? { draftFile: relativeToRoot(env.config, draftFile) } : {}) });
  }
  return done({
    status: 'failed',
    written: false,
    reason: reasons.join('; ') || 'no generator is configured',
    ...(hint ? { hint } : {}),
    ...(draftFile ? { draftFile } : {}),
    needsAuthoring,
    ...(inexpressible ? { inexpressible } : {}),
    ...snippet,
  });
}

function modelOf(model: string | undefined): { model?: string } {
  return model ? { model } : {};
}

/** Cached by the bug's input hash and the generator's own settings: unchanged inputs never re-generate. */
async function runGenerator(
  generator: GeneratorPlugin,
  inputs: BugInputs,
  bugContext: () => Promise<BugContext>,
  env: BuildEnvironment,
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
      ),
  };
  const result = await generator.generate(context, generatorContext);
  const transient = result.status === 'failed' && (result.fatal || result.retryable || env.signal?.aborted);
  if (!transient) await env.cache.put('results', key, stripOutputs(result));
  return result;
}

function stripOutputs(result: GeneratorResult): GeneratorResult {
  if (result.status !== 'generated') return result;
  const { output: _output, ...verification } = result.verification;
  return { ...result, verification };
}

async function writeGenerated(bug: BugRef, env: BuildEnvironment, inputs: BugInputs, definition: BugDefinition, generator: string, model?: string): Promise<boolean> {
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
  await rememberExactVerdict(stamped, verifyTargetOf(inputs, config), env.cache);
  return writeDefinition(bug.outputFile, stamped);
}
