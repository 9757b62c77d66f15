import { InputError } from '../errors.js';
import { kindOf, type BugContext, type GenerationUsage, type GeneratorContext, type GeneratorPlugin, type GeneratorResult } from '../generate/generator.js';
import { laneOf, type Lane } from '../generate/work-lanes.js';
import type { BugDefinition } from '../injector/definition.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { describeWrongVariants } from '../report/describe-transfer.js';
import { rememberExactVerdict, verifyWithCache } from '../verify/cached-verdict.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import { verifyDefinition, type Verification, type VerifyTarget } from '../verify/verify-definition.js';
import type { BuildEnvironment } from './build-environment.js';
import { isCacheable, readCachedResult, readRetryNote, resultKey, storeResult, storeRetryNote } from './results-cache.js';

/**
 * The best near miss so far, as the draft file shows it: not the injected program nor the no-match
 * explanation (each as long as the reference), which a bug waiting for the LLM lane would hold.
 */
type Draft = { definition: BugDefinition; verification: Pick<Verification, 'verdict' | 'reason' | 'diff'>; generator: string };

function draftOf(draft: { definition: BugDefinition; verification: Verification }, generator: string): Draft {
  const { verdict, reason, diff } = draft.verification;
  return { definition: draft.definition, verification: { verdict, ...(reason !== undefined ? { reason } : {}), ...(diff !== undefined ? { diff } : {}) }, generator };
}

/**
 * How far a bug got down the chain: the next generator to try and what the ones before it said.
 * Small on purpose: it is all a bug keeps while it waits for the LLM lane.
 */
export interface ChainProgress {
  next: number;
  /** One `<generator>: <why>` per generator tried. */
  reasons: string[];
  hint?: string;
  draft?: Draft;
  needsAuthoring: boolean;
  /** What a plugin threw (the first one), for `--verbose`. */
  stack?: string;
  inexpressible: boolean;
  /** Generators that threw, timed out or answered nothing usable before the one that succeeded. */
  faults: string[];
}

export type ChainOutcome =
  | {
      status: 'generated';
      generator: string;
      definition: BugDefinition;
      model?: string;
      transfer?: TransferReport;
      judgedBy?: string;
      notCrossChecked?: boolean;
      /** Earlier generators that failed by a fault (threw, timed out): said on the bug's line, stack with --verbose. */
      faults?: string[];
      stack?: string;
      /** This generator failed on these inputs last time (a passing failure): why, and that it was asked again. */
      askedAgain?: string;
      /** What producing it used (an LLM's calls, tokens, cost): recorded in its provenance. */
      usage?: GenerationUsage;
    }
  | {
      status: 'failed';
      /** One `<generator>: <why>` per generator tried. */
      reasons: string[];
      hint?: string;
      draft?: Draft;
      /** False when a generator stopped for good (a rejected key): only a new run can help. */
      needsAuthoring: boolean;
      /** What a plugin threw (the first one), for `--verbose`. */
      stack?: string;
      /** A generator said the edit cannot be expressed in v2.1 (a patch-only candidate). */
      inexpressible?: boolean;
    }
  /** The next generator runs in another lane: the bug gives up its slot and goes on there from `progress`. */
  | { status: 'handoff'; lane: Lane; progress: ChainProgress }
  | { status: 'input-error'; error: InputError }
  | { status: 'cancelled' };

export function startOfChain(): ChainProgress {
  return { next: 0, reasons: [], needsAuthoring: true, inexpressible: false, faults: [] };
}

/**
 * The generators in config order, from `progress.next`, until one yields `exact`. Each result is
 * cached by the bug's input hash and the generator's settings (unless `--force`). The chain runs
 * in the slot the bug holds (`at.lane`); before an LLM generator, a bug in the work lane hands off
 * (returns `handoff`) instead of waiting for the LLM lane while it holds a work slot. Generators
 * after an LLM one run in the LLM slot, so a bug never waits for a slot while holding one.
 * Without `at` (a caller holding no slot), each generator takes a slot of its own lane.
 */
export async function runGeneratorChain(
  inputs: BugInputs,
  target: VerifyTarget,
  env: BuildEnvironment,
  bugContext: () => Promise<BugContext>,
  at?: { lane: Lane; progress?: ChainProgress },
): Promise<ChainOutcome> {
  const progress: ChainProgress = at?.progress ? { ...at.progress, reasons: [...at.progress.reasons], faults: [...at.progress.faults] } : startOfChain();
  const generators = env.runner.generators;
  for (; progress.next < generators.length; progress.next++) {
    const generator = generators[progress.next]!;
    if (env.signal?.aborted) return { status: 'cancelled' };
    const availability = await env.runner.prepare(generator);
    if (!availability.ok) {
      progress.reasons.push(`${generator.name}: ${availability.reason}`);
      progress.hint ??= availability.hint;
      continue;
    }
    if (at?.lane === 'work' && laneOf(kindOf(generator)) === 'llm') return { status: 'handoff', lane: 'llm', progress };
    let result: GeneratorResult;
    let askedAgain: string | undefined;
    try {
      const generate = () => resultOf(generator, inputs, target, env, bugContext);
      ({ result, askedAgain } = await (at ? generate() : env.lanes.run(laneOf(kindOf(generator)), generate)));
    } catch (err) {
      if (err instanceof InputError) return { status: 'input-error', error: err };
      throw err;
    }
    if (result.status === 'generated' && result.verification.transfer?.worst === 'wrong') {
      // Exact on the reference is not enough: a plugin's definition must not mislead a student either.
      result = { status: 'failed', reason: `its definition injects something else into student-style code (${describeWrongVariants(result.verification.transfer)})`, draft: { definition: result.definition, verification: result.verification } };
    }
    if (result.status === 'generated') {
      const { transfer, judgedBy, notCrossChecked } = result.verification;
      return {
        status: 'generated',
        generator: generator.name,
        definition: result.definition,
        ...(result.model ? { model: result.model } : {}),
        ...(transfer ? { transfer } : {}),
        ...(judgedBy ? { judgedBy } : {}),
        ...(notCrossChecked ? { notCrossChecked: true } : {}),
        ...(progress.faults.length ? { faults: progress.faults } : {}),
        ...(progress.stack ? { stack: progress.stack } : {}),
        // Asked again after the last run's failure: said on the bug's line.
        ...(askedAgain ? { askedAgain: `last time ${askedAgain}; asked again` } : {}),
        // What producing it used (an LLM's calls, tokens, cost): recorded in its provenance.
        ...(result.usage ? { usage: result.usage } : {}),
      };
    }
    if (env.signal?.aborted) return { status: 'cancelled' };
    progress.reasons.push(`${generator.name}: ${result.reason}${askedAgain ? ` (asked again: last time ${askedAgain})` : ''}`);
    if (result.status === 'unsupported') progress.inexpressible = true;
    if (result.status === 'failed') {
      const { draft } = progress;
      if (result.draft && (!draft || result.draft.verification.verdict === 'differs')) progress.draft = draftOf(result.draft, generator.name);
      if (result.fatal) progress.needsAuthoring = false;
      if (result.stack || result.retryable) progress.faults.push(`${generator.name}: ${result.reason}`);
      progress.stack ??= result.stack;
    }
  }
  const { reasons, hint, draft, needsAuthoring, stack, inexpressible } = progress;
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

/**
 * From the results cache (re-verified, never with --force), else from the plugin. A failure the
 * plugin calls passing (`retryable`) is not cached as final: the next run asks again, and
 * `askedAgain` then says why the last run failed.
 */
async function resultOf(
  generator: GeneratorPlugin,
  inputs: BugInputs,
  target: VerifyTarget,
  env: BuildEnvironment,
  bugContext: () => Promise<BugContext>,
): Promise<{ result: GeneratorResult; askedAgain?: string }> {
  const key = resultKey(generator, env.goldenExamples, inputs.inputHash, target.judge?.location.id);
  // A manual generator's answer depends on a store outside the bug's inputs: it is asked every time.
  const cached = kindOf(generator) !== 'manual';
  let askedAgain: string | undefined;
  if (!env.force && cached) {
    const hit = await readCachedResult(env.cache, key);
    if (hit?.status !== 'generated') {
      if (hit) return { result: hit };
    } else {
      const verification = await verifyWithCache(hit.definition, target, env.python, env.cache);
      if (verification.verdict === 'exact') return { result: { ...hit, verification } };
    }
    askedAgain = await readRetryNote(env.cache, key);
  }
  const context = await bugContext();
  const result = await env.runner.generate(generator, context, generatorContext(context, env, target));
  const said = askedAgain ? { askedAgain } : {};
  // A result reached while the Python worker was failing is not the generator's answer: never cached.
  const aborted = env.signal?.aborted === true;
  if (!cached || env.pythonFailed?.()) return { result, ...said };
  if (!isCacheable(result, aborted)) {
    // A plugin that threw is a defect, said with its stack each time; a passing failure (an unreadable answer, a timeout) is noted for the next run.
    if (result.status === 'failed' && !aborted && !result.fatal && !result.stack) await storeRetryNote(env.cache, key, result.reason);
    return { result, ...said };
  }
  if (result.status === 'generated') await rememberExactVerdict(result.definition, target, env.cache, result.verification);
  await storeResult(env.cache, key, result);
  return { result, ...said };
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
          // The context parsed both files as they are (not dedented) already: the variants need not parse them again.
          ...(target.variants && !context.snippet ? { variants: () => target.variants!({ reference: context.beforeTree, patched: context.afterTree }) } : {}),
        },
        env.python,
      ),
  };
}

