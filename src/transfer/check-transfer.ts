// Transfer verification: a definition that is exact on the reference is injected into every
// student-style variant and must give that variant's patched counterpart, or fail loudly.
import { injectIntoTree, type PreparedDefinition } from '../injector/inject.js';
import { deepCopy, hasEmptyBlock, isNode, sameTree, type PyNode, type PyValue } from '../python/tree.js';
import { functionUnits, introducedUndefinedNames, referenceBoundLiteralNames } from './python-names.js';
import type { StudentVariant, StudentVariants, VariantKind } from './student-variants.js';

/**
 * `exact`: the intended bug; `no-match`: the injector reports failure (the engine tells the
 * student it could not inject); `wrong`: it injects something else, silently.
 */
export type TransferOutcome = 'exact' | 'no-match' | 'wrong';

export interface VariantTransfer {
  kind: VariantKind;
  outcome: TransferOutcome;
  /** Why, for anything but `exact`. */
  reason?: string;
}

export interface TransferReport {
  /** Variants on which the definition injects exactly the intended bug, out of `total`. */
  exact: number;
  total: number;
  worst: TransferOutcome;
  variants: VariantTransfer[];
  /**
   * Names a literal replacement writes that the reference defines inside a function (v2.1 has
   * no templating): the definition can only be right for students who use the same names.
   */
  referenceBound?: string[];
}

const SEVERITY: Record<TransferOutcome, number> = { exact: 0, 'no-match': 1, wrong: 2 };

/** Injects into each variant (pure TypeScript: the variants are parsed already) and compares. */
export function checkTransfer(prepared: PreparedDefinition, subject: StudentVariants): TransferReport {
  const variants = subject.variants.map((variant) => transferTo(prepared, variant));
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

function transferTo(prepared: PreparedDefinition, variant: StudentVariant): VariantTransfer {
  const result = injectIntoTree(prepared, deepCopy(variant.tree));
  if ('error' in result) return { kind: variant.kind, outcome: 'no-match', reason: `the injector raised ${result.error}` };
  if (!result.ok) return { kind: variant.kind, outcome: 'no-match', reason: result.reason };
  if (isNode(result.tree) && sameTree(result.tree, variant.expected)) return { kind: variant.kind, outcome: 'exact' };
  return { kind: variant.kind, outcome: 'wrong', reason: wrongReason(result.tree, variant) };
}

/** What the silently wrong result does: where it differs, a name nobody defines, a block left empty. */
function wrongReason(tree: PyValue | undefined, variant: StudentVariant): string {
  if (!isNode(tree)) return 'it removes the whole module';
  const parts: string[] = [];
  const expected = new Map(functionUnits(variant.expected).map((u) => [u.qualifiedName, u.node]));
  const got = functionUnits(tree);
  const differing = got.filter((u) => !sameTree(u.node, expected.get(u.qualifiedName))).map((u) => `\`${u.qualifiedName}\``);
  if (differing.length) parts.push(`changes ${differing.join(', ')} differently from the patch`);
  else parts.push('changes code outside the functions differently from the patch');
  const undefinedNames = introducedUndefinedNames(tree, variant.tree);
  if (undefinedNames.length) parts.push(`uses ${undefinedNames.map((n) => `\`${n}\``).join(', ')}, which the student's file never defines`);
  if (hasEmptyBlock(tree)) parts.push('leaves a block empty (not valid Python)');
  return parts.join('; ');
}

/**
 * Names read by literal `replace_value_with` texts that only the reference's naming makes right
 * (see referenceBoundLiteralNames), judged in the functions the definition changes in the reference.
 */
export function referenceBoundNames(prepared: PreparedDefinition, referenceTree: PyNode): string[] {
  const injected = injectIntoTree(prepared, deepCopy(referenceTree));
  const after = injected.ok ? new Map(functionUnits(injected.tree).map((u) => [u.qualifiedName, u.node])) : new Map<string, PyNode>();
  const changed = functionUnits(referenceTree)
    .filter((u) => !sameTree(u.node, after.get(u.qualifiedName)))
    .map((u) => u.node);
  const names = new Set<string>();
  for (const expression of prepared.expressions.values()) {
    if (expression) for (const name of referenceBoundLiteralNames(expression, referenceTree, changed)) names.add(name);
  }
  return [...names];
}
