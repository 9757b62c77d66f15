// Aligns two blocks of statements (before/after the patch): which statements stayed, which
// changed, which were deleted, inserted, or unwrapped (a block replaced by its own body).
import { fieldsOf, getAttr, isNode, isScalar, sameTree, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import { longestCommonSubsequence } from '../../src/plugin-kit.js';

export type AlignmentStep =
  | { kind: 'same'; before: number; after: number }
  | { kind: 'paired'; before: number; after: number }
  | { kind: 'removed'; before: number }
  | { kind: 'inserted'; after: number }
  /** `before` was replaced by the statements of its `field` block, found at `after`. */
  | { kind: 'unwrapped'; before: number; field: string; after: number[] };

/** Steps in block order: identical statements anchor the alignment (LCS), the gaps between them are paired up. */
export function alignStatements(before: readonly PyNode[], after: readonly PyNode[]): AlignmentStep[] {
  const anchors = longestCommonSubsequence(before, after);
  const steps: AlignmentStep[] = [];
  let b = 0;
  let a = 0;
  for (const [bi, ai] of [...anchors, [before.length, after.length] as const]) {
    steps.push(...alignGap(before, after, range(b, bi), range(a, ai)));
    if (bi < before.length) steps.push({ kind: 'same', before: bi, after: ai });
    b = bi + 1;
    a = ai + 1;
  }
  return steps;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * A gap between identical statements. Statements with the same identity (same assignment
 * target, same function name, same loop variable…) are paired first; the stretches between
 * those pairs are paired positionally when both sides have as many statements, else they are
 * deletions, insertions, or an unwrapped block.
 */
function alignGap(before: readonly PyNode[], after: readonly PyNode[], gapBefore: number[], gapAfter: number[]): AlignmentStep[] {
  const keyed: Array<[number, number]> = [];
  let lastAfter = -1;
  for (const bi of gapBefore) {
    const key = identityKey(before[bi]!);
    if (key === undefined) continue;
    const ai = gapAfter.find((j) => j > lastAfter && identityKey(after[j]!) === key);
    if (ai === undefined) continue;
    keyed.push([bi, ai]);
    lastAfter = ai;
  }
  const steps: AlignmentStep[] = [];
  let b = gapBefore[0] ?? 0;
  let a = gapAfter[0] ?? 0;
  const bEnd = (gapBefore.at(-1) ?? -1) + 1;
  const aEnd = (gapAfter.at(-1) ?? -1) + 1;
  for (const [bi, ai] of [...keyed, [bEnd, aEnd] as [number, number]]) {
    steps.push(...alignStretch(before, after, range(b, bi), range(a, ai)));
    if (bi < bEnd) steps.push({ kind: 'paired', before: bi, after: ai });
    b = bi + 1;
    a = ai + 1;
  }
  return steps;
}

function alignStretch(before: readonly PyNode[], after: readonly PyNode[], stretchBefore: number[], stretchAfter: number[]): AlignmentStep[] {
  if (stretchBefore.length === stretchAfter.length) {
    return stretchBefore.map((bi, i) => ({ kind: 'paired', before: bi, after: stretchAfter[i]! }));
  }
  const claimed = new Set<number>();
  const unwrapped = new Map<number, { field: string; after: number[] }>();
  for (const bi of stretchBefore) {
    const found = findUnwrappedBlock(before[bi]!, after, stretchAfter, claimed);
    if (!found) continue;
    found.after.forEach((j) => claimed.add(j));
    unwrapped.set(bi, found);
  }
  // Emit in block order: deletions/unwraps by their position before, insertions by their position after.
  const steps: AlignmentStep[] = [];
  const inserted = stretchAfter.filter((j) => !claimed.has(j));
  let next = 0;
  for (const bi of stretchBefore) {
    const unwrap = unwrapped.get(bi);
    if (unwrap) {
      while (next < inserted.length && inserted[next]! < unwrap.after[0]!) steps.push({ kind: 'inserted', after: inserted[next++]! });
      steps.push({ kind: 'unwrapped', before: bi, field: unwrap.field, after: unwrap.after });
    } else {
      steps.push({ kind: 'removed', before: bi });
    }
  }
  while (next < inserted.length) steps.push({ kind: 'inserted', after: inserted[next++]! });
  return steps;
}

function findUnwrappedBlock(
  statement: PyNode,
  after: readonly PyNode[],
  candidates: number[],
  claimed: ReadonlySet<number>,
): { field: string; after: number[] } | undefined {
  for (const field of ['body', 'orelse', 'finalbody']) {
    const block = getAttr(statement, field);
    if (!Array.isArray(block) || block.length === 0) continue;
    for (let start = 0; start + block.length <= candidates.length; start++) {
      const run = candidates.slice(start, start + block.length);
      const contiguous = run.every((j, k) => j === run[0]! + k && !claimed.has(j));
      if (contiguous && run.every((j, k) => sameTree(after[j], block[k]))) return { field, after: run };
    }
  }
  return undefined;
}

/** What makes two versions of a statement "the same statement, changed". */
function identityKey(statement: PyNode): string | undefined {
  const part = (field: string) => treeKey(getAttr(statement, field));
  switch (statement._type) {
    case 'FunctionDef':
    case 'AsyncFunctionDef':
    case 'ClassDef':
      return `${statement._type}:${String(statement.name)}`;
    case 'Assign':
      return `Assign:${part('targets')}`;
    case 'AugAssign':
    case 'AnnAssign':
      return `${statement._type}:${part('target')}`;
    case 'For':
    case 'AsyncFor':
      return `${statement._type}:${part('target')}`;
    case 'While':
    case 'If':
      return `${statement._type}:${part('test')}`;
    case 'With':
    case 'AsyncWith':
      return `${statement._type}:${part('items')}`;
    case 'Expr': {
      const value = getAttr(statement, 'value');
      return isNode(value) && value._type === 'Call' ? `Expr:${treeKey(getAttr(value, 'func'))}` : undefined;
    }
    case 'Return':
      return 'Return';
    default:
      return undefined;
  }
}

/** A text that is equal for two values exactly when `sameTree` holds. */
export function treeKey(value: PyValue | undefined): string {
  if (isNode(value)) {
    return `${value._type}(${fieldsOf(value).map((f) => treeKey(getAttr(value, f))).join(',')})`;
  }
  if (Array.isArray(value)) return `[${value.map(treeKey).join(',')}]`;
  if (isScalar(value)) return JSON.stringify(value);
  return JSON.stringify(value ?? null);
}
