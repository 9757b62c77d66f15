// Transfer verification: a definition that is exact on the reference is injected into every
// student-style variant and must give that variant's patched counterpart, or fail loudly.
import { explainNoMatch, type NoMatchExplanation } from '../injector/explain-no-match.js';
import { injectIntoTree, type PassTrace, type PreparedDefinition, type TreeInjection } from '../injector/inject.js';
import { deepCopy, isNode, sameTree, type PyNode } from '../python/tree.js';
import { describeInjection, listUnits } from './describe-injection.js';
import { changedFunctions, matchUnits, referenceBoundLiteralNames } from './python-names.js';
import type { StudentVariant, StudentVariants } from './student-variants.js';
import type { TransferOutcome, TransferReport, VariantTransfer } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { TransferOutcome, VariantTransfer, TransferReport } from '../contracts.js';

const SEVERITY: Record<TransferOutcome, number> = { exact: 0, 'no-match': 1, wrong: 2 };

/**
 * Injects into each variant (pure TypeScript: the variants are parsed already) and compares;
 * `injections`, one per variant, when the caller has injected already (the engine judge did).
 */
export function checkTransfer(prepared: PreparedDefinition, subject: StudentVariants, injections?: readonly TreeInjection[]): TransferReport {
  const variants = subject.variants.map((variant, i) => {
    const given = injections?.[i];
    if (given) return transferTo(prepared, variant, given);
    const trace: PassTrace = { matches: [] };
    return transferTo(prepared, variant, injectIntoTree(prepared, variant.tree(), trace), trace);
  });
  const worst = variants.reduce<TransferOutcome>((w, v) => (SEVERITY[v.outcome] > SEVERITY[w] ? v.outcome : w), 'exact');
  const bound = referenceBoundNames(prepared, subject.referenceTree);
  return {
    exact: variants.filter((v) => v.outcome === 'exact').length,
    total: variants.length,
    worst,
    variants,
    ...(bound.length ? { referenceBound: bound } : {}),
  };
}

function transferTo(prepared: PreparedDefinition, variant: StudentVariant, result: TreeInjection, trace?: PassTrace): VariantTransfer {
  // Built once each, and only when needed (a variant's trees are built on each call).
  const expected = result.ok ? variant.expected() : undefined;
  if (result.ok && isNode(result.tree) && sameTree(result.tree, expected)) return { kind: variant.kind, outcome: 'exact' };
  const original = variant.tree();
  const described = describeInjection(result, original);
  if (!described.injected) {
    const explanation = !result.ok && !('error' in result) ? explainNoMatch(prepared, original, variant.source, trace && { result, trace }) : undefined;
    return { kind: variant.kind, outcome: 'no-match', reason: explanation?.message ?? described.reason, ...(explanation ? { explanation } : {}) };
  }
  const differing = changedFunctions(expected ?? variant.expected(), described.tree);
  const where = `changes ${differing.length ? listUnits(differing) : 'the file'} differently from the patch`;
  return { kind: variant.kind, outcome: 'wrong', reason: [where, ...described.problems].join('; ') };
}

/**
 * Names read by literal `replace_value_with` texts that only the reference's naming makes right
 * (see referenceBoundLiteralNames), judged in the functions the definition changes in the reference.
 */
export function referenceBoundNames(prepared: PreparedDefinition, referenceTree: PyNode): string[] {
  if (![...prepared.expressions.values()].some(Boolean)) return [];
  const injected = injectIntoTree(prepared, deepCopy(referenceTree));
  const changed = injected.ok
    ? matchUnits(referenceTree, injected.tree).flatMap(({ before, after }) => (before && (!after || !sameTree(before.node, after.node)) ? [before.node] : []))
    : [];
  const names = new Set<string>();
  for (const expression of prepared.expressions.values()) {
    if (expression) for (const name of referenceBoundLiteralNames(expression, referenceTree, changed)) names.add(name);
  }
  return [...names];
}
