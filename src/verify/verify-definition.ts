import { createTwoFilesPatch } from 'diff';
import { explainNoMatch, type NoMatchExplanation } from '../injector/explain-no-match.js';
import { injectIntoTree, prepareDefinition, type InjectResult, type PreparedDefinition, type TreeInjection } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { checkTransfer } from '../transfer/check-transfer.js';
import type { ParsedSides, StudentVariants } from '../transfer/student-variants.js';
import type { EngineJudge, Judgement } from './engine-judge.js';
import { parsePython, unparsePython, unparsePythonMany, type ParseResult, type UnparseResult } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, isNode, sameTree } from '../python/tree.js';
import { formatSchemaProblems, validateDefinition } from '../schema/validate-definition.js';
import type { Verification } from '../contracts.js';
import { judgeEngineDialect } from '../schema/engine-dialect.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { Verdict, Verification } from '../contracts.js';

export interface VerifyTarget {
  /** The full reference file (or, in snippet mode, the hunks' before-text). */
  reference: string;
  /** The reference with the patch applied. */
  patched: string;
  /** A label for the diff headers, e.g. `cs336_basics/layers.py`. */
  label?: string;
  snippet?: boolean;
  /** The patched source already parsed, to save a round trip when verifying many candidates. */
  patchedTree?: ParseResult;
  /** The reference parsed as the injector parses it (dedented), shared by every candidate of a bug. */
  referenceTree?: () => Promise<ParseResult>;
  /**
   * Student-style variants of this reference (absent in snippet mode: there is no file to vary);
   * given `parsed`, CPython's parse of the reference and the patched reference (not dedented), they
   * are not parsed again.
   */
  variants?: (parsed?: ParsedSides) => Promise<StudentVariants | { error: string }>;
  /** The curriculum's own engine, injecting everything the built-in injector does: any disagreement is an error. */
  judge?: EngineJudge;
  /**
   * `engine`: a hand-written definition, judged by what the engine does with it (see
   * schema/engine-dialect.ts) instead of by the full schema generated JSON must meet.
   */
  dialect?: 'engine';
}

/**
 * Injects the definition into the reference exactly as the engine would and compares the
 * result with the patched reference, ignoring comments and formatting (ast.dump equality); an
 * exact one is then tried on the student-style variants. With a judge, the curriculum's own
 * engine injects everything too, and any disagreement is an error.
 */
export async function verifyDefinition(definition: unknown, target: VerifyTarget, python: PythonRuntime): Promise<Verification> {
  const snippet = target.snippet ? { snippet: true } : {};
  if (target.dialect === 'engine') {
    const { errors } = judgeEngineDialect(definition);
    if (errors.length) return { verdict: 'error', reason: `the engine would fail or misbehave: ${formatSchemaProblems(errors)}`, schemaProblems: errors, ...snippet };
  } else {
    const schema = validateDefinition(definition);
    if (!schema.valid) {
      return { verdict: 'error', reason: `schema: ${formatSchemaProblems(schema.problems)}`, schemaProblems: schema.problems, ...snippet };
    }
  }
  let prepared: PreparedDefinition;
  try {
    prepared = await prepareDefinition(definition, python);
  } catch (err) {
    if (!(err instanceof PythonException)) throw err;
    const judged = await judgeInjection(target, definition, target.reference, { ok: false, output: null, error: err.message }, python);
    if (judged.failure) return { ...judged.failure, ...snippet };
    return { verdict: 'error', reason: `the injector raised ${err.message}`, ...judged.by, ...snippet };
  }
  const [reference, expected] = await Promise.all([
    target.referenceTree ? target.referenceTree() : parsePython(python, target.reference, { dedent: true }),
    target.patchedTree ? Promise.resolve(target.patchedTree) : parsePython(python, target.patched, { dedent: true }),
  ]);
  if (!reference.ok) return { verdict: 'no-match', reason: `source does not parse: ${reference.error.message} (line ${reference.error.line})`, ...snippet };
  const injected = injectIntoTree(prepared, deepCopy(reference.tree));
  // Printed at most once: for the judge, and for the diff when it is not exact.
  let printed: Promise<UnparseResult> | undefined;
  const print = () => (printed ??= unparsePython(python, injected.ok ? (injected.tree ?? null) : null));
  const ours = target.judge ? asInjectResult(injected, target.reference, injected.ok ? await print() : undefined) : undefined;
  const judged = ours ? await judgeInjection(target, definition, target.reference, ours, python) : { by: {} };
  if (judged.failure) return { ...judged.failure, ...snippet };
  const { by } = judged;
  if ('error' in injected) return { verdict: 'error', reason: `the injector raised ${injected.error}`, ...by, ...snippet };
  if (!injected.ok) {
    const explanation = explainNoMatch(prepared, reference.tree, target.reference);
    return { verdict: 'no-match', reason: explanation ? `${injected.reason}: ${explanation.message}` : injected.reason, ...(explanation ? { explanation } : {}), ...by, ...snippet };
  }
  if (!expected.ok) {
    return { verdict: 'error', reason: `the patched reference is not valid Python: ${expected.error.message} (line ${expected.error.line})`, ...by, ...snippet };
  }
  // A tree equal to a parsed one prints and parses back to itself: exactness needs no round trip.
  if (isNode(injected.tree) && sameTree(injected.tree, expected.tree)) return exactVerdict(prepared, target, python, { ...by, ...snippet });
  const unparsed = await print();
  if (!unparsed.ok) return { verdict: 'no-match', reason: `ast.unparse failed: ${unparsed.error}`, ...by, ...snippet };
  const output = unparsed.text;
  const got = await parsePython(python, output);
  if (!got.ok) {
    return { verdict: 'error', reason: `the injected code is not valid Python: ${got.error.message} (line ${got.error.line})`, output, ...by, ...snippet };
  }
  if (sameTree(got.tree, expected.tree)) return { ...(await exactVerdict(prepared, target, python, { ...by, ...snippet })), output };
  const canonicalExpected = await unparsePython(python, expected.tree);
  const label = target.label ?? 'reference.py';
  const diff = createTwoFilesPatch(
    `${label} (patched)`,
    `${label} (injected)`,
    ensureNewline(canonicalExpected.ok ? canonicalExpected.text : target.patched),
    ensureNewline(output),
    '',
    '',
    { context: 2 },
  );
  return { verdict: 'differs', reason: 'the injected code is not the patched code', diff, output, ...by, ...snippet };
}

/** `exact`, with the transfer to student-style variants (each judged by the engine too, when there is one). */
async function exactVerdict(prepared: PreparedDefinition, target: VerifyTarget, python: PythonRuntime, facts: Partial<Verification>): Promise<Verification> {
  const variants = await target.variants?.();
  if (!variants || 'error' in variants) return { verdict: 'exact', ...facts };
  // With a judge, every variant is injected here (once: the transfer check reuses the results),
  // printed in one round trip, and judged with the engine's calls in flight together.
  const injections = target.judge ? variants.variants.map((variant) => injectIntoTree(prepared, variant.tree())) : undefined;
  if (injections) {
    const printable = injections.flatMap((injection) => (injection.ok ? [injection.tree ?? null] : []));
    const texts = await unparsePythonMany(python, printable);
    let next = 0;
    const judgements = await Promise.all(
      variants.variants.map((variant, i) => {
        const injection = injections[i]!;
        const ours = asInjectResult(injection, variant.source, injection.ok ? texts[next++] : undefined);
        return judgeInjection(target, prepared.definition, variant.source, ours, python);
      }),
    );
    const failed = judgements.findIndex((judged) => judged.failure);
    const failure = judgements[failed]?.failure;
    if (failure) return { ...failure, reason: `on the ${variants.variants[failed]!.kind} variant of the reference, ${failure.reason}`, ...facts };
    // Switched off part way: the variants it did not judge make the whole verdict not cross-checked.
    const off = judgements.find((judged) => judged.by.notCrossChecked)?.by.notCrossChecked;
    if (off) {
      const { judgedBy: _judgedBy, ...rest } = facts;
      return { verdict: 'exact', ...rest, notCrossChecked: off, transfer: checkTransfer(prepared, variants, injections) };
    }
  }
  return { verdict: 'exact', ...facts, transfer: checkTransfer(prepared, variants, injections) };
}

/** What the engine returns for an injection: the printed result (`printed`, for one that succeeded), or the source back on failure. */
function asInjectResult(injected: TreeInjection, source: string, printed: UnparseResult | undefined): InjectResult {
  if ('error' in injected) return { ok: false, output: null, error: injected.error };
  if (!injected.ok || !printed?.ok) return { ok: false, output: source };
  return { ok: true, output: printed.text };
}

/** The engine judge's word on one injection: an error verdict when it disagrees or cannot run. */
async function judgeInjection(
  target: VerifyTarget,
  definition: unknown,
  source: string,
  ours: InjectResult,
  python: PythonRuntime,
): Promise<{ failure?: Verification; by: { judgedBy?: string; notCrossChecked?: string } }> {
  const judged: Judgement | undefined = await target.judge?.judge(definition, source, ours, python);
  const by = !judged || judged.verdict === 'skipped' ? {} : judged.verdict === 'off' ? { notCrossChecked: judged.reason } : { judgedBy: judged.judgedBy };
  if (!judged || judged.ok) return { by };
  const engineFailed = judged.verdict === 'engine-error' ? { engineFailed: true } : {};
  return { failure: { verdict: 'error', reason: judged.reason, ...('diff' in judged && judged.diff ? { diff: judged.diff } : {}), ...by, ...engineFailed }, by };
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
