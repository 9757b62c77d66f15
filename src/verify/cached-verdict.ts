import { contentHash, stableStringify } from '../cache/hash.js';
import type { ContentCache } from '../cache/content-cache.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { withoutAnnotations } from '../outputs/provenance.js';
import { packageVersion } from '../package-root.js';
import { parsePython, type ParseResult } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import { VARIANTS_VERSION, type VariantSource } from '../transfer/student-variants.js';
import type { EngineJudge } from './engine-judge.js';
import { verifyDefinition, type Verification, type VerifyTarget } from './verify-definition.js';

/** Bumped whenever injector or verifier behaviour changes, so cached verdicts are not trusted across versions. */
export const INJECTOR_VERSION = `2.1/${packageVersion}/5`;

const NAMESPACE = 'verdicts';

function verdictKey(definition: unknown, target: VerifyTarget): string {
  const transfer = target.variants ? `variants/${VARIANTS_VERSION}` : 'no-variants';
  const dialect = target.dialect ? [`dialect/${target.dialect}`] : [];
  return contentHash('verdict', INJECTOR_VERSION, transfer, ...dialect, stableStringify(withoutAnnotations(definition)), target.reference, target.patched);
}

/**
 * What a bug's definitions are verified against: its full reference and patched reference (or the
 * hunks, in snippet mode), and, given a variant source, the student-style variants of the reference
 * (built on first use, once per bug).
 */
export function verifyTargetOf(
  inputs: BugInputs,
  config: { root: string },
  sources?: { python: PythonRuntime; variants: VariantSource; judge?: EngineJudge | undefined },
): VerifyTarget & { label: string } {
  let built: ReturnType<VariantSource['variantsFor']> | undefined;
  let parsed: Promise<ParseResult> | undefined;
  return {
    reference: inputs.referenceText,
    patched: inputs.patchedText,
    label: inputs.referenceFile ? relativeToRoot(config, inputs.referenceFile) : inputs.targetPath,
    snippet: inputs.snippet,
    ...(sources ? { referenceTree: () => (parsed ??= parsePython(sources.python, inputs.referenceText, { dedent: true })) } : {}),
    ...(sources && !inputs.snippet ? { variants: (parsed) => (built ??= sources.variants.variantsFor(inputs.referenceText, inputs.patchedText, parsed)) } : {}),
    ...(sources?.judge ? { judge: sources.judge } : {}),
  };
}

/**
 * verifyDefinition, remembered by the hash of (definition, reference, patched, injector version).
 * With an engine judge, a verdict counts only if that engine (same files) judged it too; without
 * one, a failure an engine judged may have been the engine's doing, so it is verified again.
 */
export async function verifyWithCache(
  definition: unknown,
  target: VerifyTarget,
  python: PythonRuntime,
  cache: ContentCache,
): Promise<Verification & { cached: boolean }> {
  const key = verdictKey(definition, target);
  const hit = await cache.get<Verification>(NAMESPACE, key);
  const stillValid = target.judge ? hit?.judgedBy === target.judge.location.id : hit?.judgedBy === undefined || hit.verdict === 'exact';
  if (hit && typeof hit.verdict === 'string' && stillValid) return { ...hit, cached: true };
  const fresh = await verifyDefinition(definition, target, python);
  // Whether the engine judge was on is a fact about this run, not about the verdict.
  const { output: _output, notCrossChecked: _off, ...remembered } = fresh;
  if (!fresh.engineFailed) await cache.put(NAMESPACE, key, remembered);
  return { ...fresh, cached: false };
}

/**
 * How a hand-written (or hand-edited) JSON is verified: by what the engine does with it (the
 * engine dialect), not by the full schema generated JSON meets; transfer measured as usual.
 */
export function verifyHandWritten(definition: unknown, target: VerifyTarget, python: PythonRuntime, cache: ContentCache): Promise<Verification & { cached: boolean }> {
  return verifyWithCache(definition, { ...target, dialect: 'engine' }, python, cache);
}

/** Records a verdict already proved (a generator's `exact` result), so later checks need no Python. */
export function rememberExactVerdict(definition: unknown, target: VerifyTarget, cache: ContentCache, proved: { transfer?: TransferReport | undefined; judgedBy?: string | undefined } = {}): Promise<void> {
  return cache.put<Verification>(NAMESPACE, verdictKey(definition, target), {
    verdict: 'exact',
    ...(target.snippet ? { snippet: true } : {}),
    ...(proved.transfer ? { transfer: proved.transfer } : {}),
    ...(proved.judgedBy ? { judgedBy: proved.judgedBy } : {}),
  });
}
