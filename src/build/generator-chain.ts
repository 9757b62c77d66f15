import { InputError } from '../errors.js';
import { kindOf, type BugContext, type GenerationUsage, type GeneratorContext, type GeneratorPlugin, type GeneratorResult } from '../generate/generator.js';
import type { BugDefinition } from '../injector/definition.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { describeWrongVariants } from '../report/describe-transfer.js';
import { rememberExactVerdict, verifyWithCache } from '../verify/cached-verdict.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import { verifyDefinition, type Verification, type VerifyTarget } from '../verify/verify-definition.js';
import type { BuildEnvironment } from './build-environment.js';
import { isCacheable, readCachedResult, resultKey, storeResult } from './results-cache.js';

export type ChainOutcome =
  | { status: 'generated'; generator: string; definition: BugDefinition; model?: string; transfer?: TransferReport; judgedBy?: string; usage?: GenerationUsage }
  | {
      status: 'failed';
      /** One `<generator>: <why>` per generator tried. */
      reasons: string[];
      hint?: string;
      draft?: { definition: BugDefinition; verification: Verification; generator: string };
      /** False when a generator stopped for good (a rejected key): only a new run can help. */
      needsAuthoring: boolean;
      /** What a plugin threw (the first one), for `--verbose`. */
      stack?: string;
      /** A generator said the edit cannot be expressed in v2.1 (a patch-only candidate). */
      inexpressible?: boolean;
    }
  | { status: 'input-error'; error: InputError }
  | { status: 'cancelled' };

/**
 * The generators in config order until one yields `exact`. Each result is cached by the bug's
 * input hash and the generator's settings (unless `--force`); deterministic generators run in
 * the work lane, LLM generators in their own, so a slow server holds no deterministic slot.
 */
export async function runGeneratorChain(inputs: BugInputs, target: VerifyTarget, env: BuildEnvironment, bugContext: () => Promise<BugContext>): Promise<ChainOutcome> {
  const reasons: string[] = [];
  let hint: string | undefined;
  let draft: { definition: BugDefinition; verification: Verification; generator: string } | undefined;
  let needsAuthoring = true;
  let stack: string | undefined;
  let inexpressible = false;

  for (const generator of env.runner.generators) {
    if (env.signal?.aborted) return { status: 'cancelled' };
    const availability = await env.runner.prepare(generator);
    if (!availability.ok) {
      reasons.push(`${generator.name}: ${availability.reason}`);
      hint ??= availability.hint;
      continue;
    }
    let result: GeneratorResult;
    try {
      result = await env.lanes.run(kindOf(generator), () => resultOf(generator, inputs, target, env, bugContext));
    } catch (err) {
      if (err instanceof InputError) return { status: 'input-error', error: err };
      throw err;
    }
    if (result.status === 'generated' && result.verification.transfer?.worst === 'wrong') {
      // Exact on the reference is not enough: a plugin's definition must not mislead a student either.
      result = { status: 'failed', reason: `its definition injects something else into student-style code (${describeWrongVariants(result.verification.transfer)})`, draft: { definition: result.definition, verification: result.verification } };
    }
    if (result.status === 'generated') {
      const { transfer, judgedBy } = result.verification;
      return {
        status: 'generated',
        generator: generator.name,
        definition: result.definition,
        ...(result.model ? { model: result.model } : {}),
        ...(transfer ? { transfer } : {}),
        ...(judgedBy ? { judgedBy } : {}),
        // What producing it used (an LLM's calls, tokens, cost): recorded in its provenance.
        ...(result.usage ? { usage: result.usage } : {}),
      };
    }
    if (env.signal?.aborted) return { status: 'cancelled' };
    reasons.push(`${generator.name}: ${result.reason}`);
    if (result.status === 'unsupported') inexpressible = true;
    if (result.status === 'failed') {
      if (result.draft && (!draft || result.draft.verification.verdict === 'differs')) draft = { ...result.draft, generator: generator.name };
      if (result.fatal) needsAuthoring = false;
      stack ??= result.stack;
    }
  }
  return {
    status: 'failed',
    reasons,
    ...(hint ? { hint } : {}),
    ...(draft ? { draft } : {}),
    needsAuthoring,
    ...(stack ? { stack } : {}),
    ...(inexpressible ? { inexpressible } : {}),
  };
}

/** From the results cache (re-verified, never with --force), else from the plugin. */
async function resultOf(generator: GeneratorPlugin, inputs: BugInputs, target: VerifyTarget, env: BuildEnvironment, bugContext: () => Promise<BugContext>): Promise<GeneratorResult> {
  const key = resultKey(generator, env.goldenExamples, inputs.inputHash, target.judge?.location.id);
  // A manual generator's answer depends on a store outside the bug's inputs: it is asked every time.
  const cached = kindOf(generator) !== 'manual';
  if (!env.force && cached) {
    const hit = await readCachedResult(env.cache, key);
    if (hit?.status !== 'generated') {
      if (hit) return hit;
    } else {
      const verification = await verifyWithCache(hit.definition, target, env.python, env.cache);
      if (verification.verdict === 'exact') return { ...hit, verification };
    }
  }
  const context = await bugContext();
  const result = await env.runner.generate(generator, context, generatorContext(context, env, target));
  // A result reached while the Python worker was failing is not the generator's answer: never cached.
  if (!cached || env.pythonFailed?.() || !isCacheable(result, env.signal?.aborted === true)) return result;
  if (result.status === 'generated') await rememberExactVerdict(result.definition, target, env.cache, result.verification);
  await storeResult(env.cache, key, result);
  return result;
}

/** The bug's verify target, with the trees the context parsed already (the reference's student-style variants shared). */
function generatorContext(context: BugContext, env: BuildEnvironment, target: VerifyTarget): GeneratorContext {
  const patchedTree = { ok: true as const, text: context.patchedSource, tree: context.afterTree };
  const referenceTree = { ok: true as const, text: context.referenceSource, tree: context.beforeTree };
  return {
    python: env.python,
    root: env.config.root,
    cacheDir: env.config.cacheDir,
    goldenExamples: env.goldenExamples,
    env: env.env,
    ...(env.force ? { fresh: true } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
    verify: (definition) =>
      verifyDefinition(
        definition,
        {
          ...target,
          reference: context.referenceSource,
          patched: context.patchedSource,
          label: context.referenceFile ?? context.targetPath,
          snippet: context.snippet,
          patchedTree,
          referenceTree: () => Promise.resolve(referenceTree),
        },
        env.python,
      ),
  };
}

