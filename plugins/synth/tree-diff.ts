// Finds where the patched tree differs from the reference tree, as small changes located in
// the reference tree (whose nodes the later passes will match and rewrite).
import { fieldsOf, getAttr, isNode, sameTree, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import { STATEMENT_LIST_FIELDS, isFieldless, isRemovableItemList } from './ast-kinds.js';
import { longestCommonSubsequence } from '../../src/plugin-kit.js';
import { alignStatements } from './statement-alignment.js';

/** A pair of corresponding nodes (reference, patched) on the way down to a change, and the field taken from them. */
export interface TrailStep {
  before: PyNode;
  after: PyNode;
  field: string;
}

/** From the module down to the parent of the changed node. */
export type Trail = readonly TrailStep[];

export type Change =
  /** The node at this place differs; `after` is what the patched tree has there. */
  | { kind: 'modified'; before: PyNode; after: PyNode; trail: Trail }
  /** An element of a list (statement, keyword, argument, dict entry part) is gone; the trail ends at its list. */
  | { kind: 'removed'; node: PyNode; trail: Trail }
  /** A statement of the patched tree has no counterpart in the reference. */
  | { kind: 'inserted'; node: PyNode; previous: PyNode | undefined; trail: Trail }
  /** A compound statement was replaced by the statements of one of its blocks. */
  | { kind: 'unwrapped'; node: PyNode; field: string; replacement: PyNode[]; trail: Trail };

/** The changes that turn `before` into `after`, in reference order. */
export function diffTrees(before: PyNode, after: PyNode): Change[] {
  const changes: Change[] = [];
  diffNode(before, after, [], changes);
  return changes;
}

function diffNode(before: PyNode, after: PyNode, trail: Trail, out: Change[]): void {
  if (sameTree(before, after)) return;
  const modified: Change = { kind: 'modified', before, after, trail };
  if (before._type !== after._type) {
    out.push(modified);
    return;
  }
  const differing = fieldsOf(before).filter((f) => !sameTree(getAttr(before, f), getAttr(after, f)));
  // A changed name, operator, constant or attribute makes the node itself the change.
  if (differing.some((f) => !canDescend(getAttr(before, f), getAttr(after, f)))) {
    out.push(modified);
    return;
  }
  for (const field of differing) {
    const b = getAttr(before, field)!;
    const a = getAttr(after, field)!;
    if (isNode(b) && isNode(a)) diffNode(b, a, [...trail, { before, after, field }], out);
    else diffList(before, after, field, b as PyValue[], a as PyValue[], trail, out);
  }
}

function canDescend(before: PyValue | undefined, after: PyValue | undefined): boolean {
  if (Array.isArray(before) && Array.isArray(after)) return true;
  return isNode(before) && isNode(after) && !isFieldless(before) && !isFieldless(after);
}

function diffList(owner: PyNode, ownerAfter: PyNode, field: string, before: PyValue[], after: PyValue[], trail: Trail, out: Change[]): void {
  const inner: Trail = [...trail, { before: owner, after: ownerAfter, field }];
  const ownerChanged = () => out.push({ kind: 'modified', before: owner, after: ownerAfter, trail });
  const nodes = (list: PyValue[]) => list.every((item) => isNode(item) && !isFieldless(item));

  if (STATEMENT_LIST_FIELDS.has(field) && nodes(before) && nodes(after)) {
    diffStatements(before as PyNode[], after as PyNode[], inner, out);
  } else if (field === 'keywords' && owner._type === 'Call' && nodes(before) && nodes(after)) {
    if (!diffKeywords(before as PyNode[], after as PyNode[], inner, out)) ownerChanged();
  } else if (before.length === after.length && before.every((b, i) => sameTree(b, after[i]) || canDescend(b, after[i]))) {
    before.forEach((b, i) => {
      if (isNode(b) && isNode(after[i])) diffNode(b, after[i] as PyNode, inner, out);
    });
  } else if (isRemovableItemList(owner, field) && nodes(before) && nodes(after)) {
    if (!diffRemovableItems(before as PyNode[], after as PyNode[], inner, out)) ownerChanged();
  } else {
    ownerChanged();
  }
}

function diffStatements(before: PyNode[], after: PyNode[], trail: Trail, out: Change[]): void {
  for (const step of alignStatements(before, after)) {
    switch (step.kind) {
      case 'paired':
        diffNode(before[step.before]!, after[step.after]!, trail, out);
        break;
      case 'removed':
        out.push({ kind: 'removed', node: before[step.before]!, trail });
        break;
      case 'inserted':
        out.push({ kind: 'inserted', node: after[step.after]!, previous: after[step.after - 1], trail });
        break;
      case 'unwrapped':
        out.push({ kind: 'unwrapped', node: before[step.before]!, field: step.field, replacement: step.after.map((j) => after[j]!), trail });
        break;
      default:
        break;
    }
  }
}

/** Keywords line up by name. False when the change is not "some keywords dropped, others changed in place". */
function diffKeywords(before: PyNode[], after: PyNode[], trail: Trail, out: Change[]): boolean {
  const name = (kw: PyNode) => getAttr(kw, 'arg');
  if ([...before, ...after].some((kw) => typeof name(kw) !== 'string')) return false;
  const afterNames = after.map(name);
  const kept = before.filter((kw) => afterNames.includes(name(kw)));
  if (kept.length !== after.length || kept.some((kw, i) => name(kw) !== afterNames[i])) return false;
  for (const kw of before) {
    const counterpart = after.find((a) => name(a) === name(kw));
    if (counterpart) diffNode(kw, counterpart, trail, out);
    else out.push({ kind: 'removed', node: kw, trail });
  }
  return true;
}

/**
 * Elements line up where they are equal; between those, elements are either only removed, or
 * changed in place (as many before as after). False when the list needs anything else.
 */
function diffRemovableItems(before: PyNode[], after: PyNode[], trail: Trail, out: Change[]): boolean {
  const found: Change[] = [];
  let b = 0;
  let a = 0;
  for (const [bi, ai] of [...longestCommonSubsequence(before, after), [before.length, after.length] as const]) {
    const gapBefore = before.slice(b, bi);
    const gapAfter = after.slice(a, ai);
    if (gapAfter.length === 0) gapBefore.forEach((node) => found.push({ kind: 'removed', node, trail }));
    else if (gapBefore.length === gapAfter.length) gapBefore.forEach((node, i) => diffNode(node, gapAfter[i]!, trail, found));
    else return false;
    b = bi + 1;
    a = ai + 1;
  }
  out.push(...found);
  return true;
}
