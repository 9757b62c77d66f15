// The statement blocks of a function in the reference and in the patched reference, paired: the
// function body, and recursively the bodies of compound statements the patch changed inside
// while keeping their header (a `for` loop whose body it edits). Within each block, the index
// pairs of identical statements: what the student-style restructurings may touch identically
// on both sides.
import { longestCommonSubsequence } from '../python/common-subsequence.js';
import { fieldsOf, getAttr, isNode, sameTree, type PyNode } from '../python/tree.js';

export type Side = 'reference' | 'patched';

/** Steps from a function down to a statement list: `[{ index: 3, field: 'body' }]` is `body[3].body`. */
export interface BlockStep {
  index: number;
  field: string;
}

export interface AlignedBlock {
  /** From the function node to this block (the function's own body is `[]`), per side. */
  path: Record<Side, BlockStep[]>;
  reference: PyNode[];
  patched: PyNode[];
  /** Index pairs of identical statements. */
  pairs: Array<readonly [number, number]>;
  /** Unaligned statements (reference index → patched index) edited only inside, whose blocks are paired too. */
  containers: Map<number, number>;
}

const BLOCK_FIELDS = ['body', 'orelse', 'finalbody'];

/** The function's blocks paired across both versions, the function body first. */
export function alignFunctionBlocks(reference: PyNode, patched: PyNode): AlignedBlock[] {
  const blocks: AlignedBlock[] = [];
  const visit = (ref: PyNode[], pat: PyNode[], path: Record<Side, BlockStep[]>): void => {
    const pairs = longestCommonSubsequence(ref, pat);
    const containers = new Map<number, number>();
    blocks.push({ path, reference: ref, patched: pat, pairs, containers });
    const refAligned = new Set(pairs.map(([r]) => r));
    const patAligned = new Set(pairs.map(([, p]) => p));
    // Unaligned compound statements of the same kind and header, in order, are the same statement edited inside.
    const refOpen = ref.map((_, i) => i).filter((i) => !refAligned.has(i));
    const patOpen = pat.map((_, i) => i).filter((i) => !patAligned.has(i));
    let j = 0;
    for (const r of refOpen) {
      const k = patOpen.findIndex((p, n) => n >= j && sameHeader(ref[r]!, pat[p]!));
      if (k < 0) continue;
      const p = patOpen[k]!;
      j = k + 1;
      containers.set(r, p);
      for (const field of BLOCK_FIELDS) {
        const a = getAttr(ref[r]!, field);
        const b = getAttr(pat[p]!, field);
        if (Array.isArray(a) && Array.isArray(b) && a.length > 0) {
          visit(a as PyNode[], b as PyNode[], { reference: [...path.reference, { index: r, field }], patched: [...path.patched, { index: p, field }] });
        }
      }
    }
  };
  const body = (fn: PyNode) => (getAttr(fn, 'body') as PyNode[] | undefined) ?? [];
  visit(body(reference), body(patched), { reference: [], patched: [] });
  return blocks;
}

function sameHeader(a: PyNode, b: PyNode): boolean {
  if (a._type !== b._type || !BLOCK_FIELDS.some((f) => Array.isArray(getAttr(a, f)))) return false;
  return fieldsOf(a).every((field) => BLOCK_FIELDS.includes(field) || field === 'handlers' || sameTree(getAttr(a, field), getAttr(b, field)));
}

/** The statement list a block path leads to inside `fn` (the live list: edits land in the tree). */
export function blockAt(fn: PyNode, path: readonly BlockStep[]): PyNode[] | undefined {
  let list = getAttr(fn, 'body');
  for (const step of path) {
    const statement = Array.isArray(list) ? list[step.index] : undefined;
    list = isNode(statement) ? getAttr(statement, step.field) : undefined;
  }
  return Array.isArray(list) ? (list as PyNode[]) : undefined;
}

/** Indices of a block's statements the patch changed itself (on one side): neither identical nor edited only inside. */
export function changedIndices(block: AlignedBlock, side: Side): number[] {
  const kept = new Set([...block.pairs, ...block.containers].map((pair) => pair[side === 'reference' ? 0 : 1]));
  return (side === 'reference' ? block.reference : block.patched).map((_, i) => i).filter((i) => !kept.has(i));
}
