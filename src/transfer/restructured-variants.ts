// Student-style variants restructured around the code a patch changes, each applied identically
// to the reference and the patched reference (located through the paired blocks of the changed
// function): a temporary inlined into its single use, a sub-expression held in its own
// variable, two independent statements in the other order, a tuple assignment split or joined.
import { deepCopy, getAttr, isNode, sameTree, walk, type PyNode } from '../python/tree.js';
import { alignFunctionBlocks, blockAt, changedIndices, type AlignedBlock, type BlockStep, type Side } from './block-alignment.js';
import { functionUnits, loadedNames } from './python-names.js';
import type { FreshNames, VariantKind, VariantPlan } from './student-variants.js';
import { followPath, nodesDownTo, pathTo, replaceNode, storedNames, type NodeStep } from './tree-edit.js';

export interface ChangedFunction {
  key: string;
  reference: PyNode;
  patched: PyNode;
}

type Planned = { plan: VariantPlan } | { skip: { kind: VariantKind; reason: string } };

/** Expressions that cannot move as they are: their own scopes, or suspension points. */
const SCOPED_OR_SUSPENDING = new Set(['Lambda', 'ListComp', 'SetComp', 'DictComp', 'GeneratorExp', 'NamedExpr', 'Yield', 'YieldFrom', 'Await', 'Starred']);
/** Where an expression is evaluated conditionally or repeatedly: it cannot be moved out of there. */
const CONDITIONAL = new Set(['BoolOp', 'IfExp', 'Lambda', 'ListComp', 'SetComp', 'DictComp', 'GeneratorExp', 'While', 'For', 'AsyncFor', 'FunctionDef', 'AsyncFunctionDef', 'ClassDef', 'comprehension']);
const SIMPLE_WITH_VALUE = new Set(['Assign', 'AugAssign', 'AnnAssign', 'Return', 'Expr']);

export function planRestructurings(fn: ChangedFunction, names: FreshNames): Planned[] {
  const blocks = alignFunctionBlocks(fn.reference, fn.patched);
  return [inlineTemporary(fn, blocks), extractSubexpression(fn, blocks, names), reorderStatements(fn, blocks), tupleAssignment(fn, blocks)];
}

function functionIn(tree: PyNode, key: string): PyNode | undefined {
  return functionUnits(tree).find((u) => u.key === key)?.node;
}

function blockIn(tree: PyNode, key: string, path: readonly BlockStep[]): PyNode[] | undefined {
  const node = functionIn(tree, key);
  return node && blockAt(node, path);
}

/** How far a block's statement is from the first one the patch changes there (changed statements first). */
function distanceToChange(block: AlignedBlock, index: number): number {
  const changed = changedIndices(block, 'reference');
  const first = changed[0] ?? block.reference.length;
  return changed.includes(index) ? 0 : index < first ? first - index : 1000 + index - first;
}

function singleNameTarget(statement: PyNode | undefined): string | undefined {
  const targets = statement?._type === 'Assign' ? getAttr(statement, 'targets') : undefined;
  const target = Array.isArray(targets) && targets.length === 1 ? targets[0] : undefined;
  return isNode(target) && target._type === 'Name' && typeof target.id === 'string' ? target.id : undefined;
}

function movable(value: PyNode | undefined): boolean {
  return isNode(value) && ![...walk(value)].some((n) => SCOPED_OR_SUSPENDING.has(n._type));
}

function loadsOf(fn: PyNode, name: string): PyNode[] {
  return [...walk(fn)].filter((n) => n._type === 'Name' && n.id === name && isNode(getAttr(n, 'ctx')) && (getAttr(n, 'ctx') as PyNode)._type === 'Load');
}

function bindingsOf(fn: PyNode, name: string): number {
  return [...walk(fn)].filter((n) => (n._type === 'Name' && n.id === name && (getAttr(n, 'ctx') as PyNode | undefined)?._type !== 'Load') || (n._type === 'arg' && n.arg === name)).length;
}

/** The use is evaluated once, right where the statement at `index` of `block` runs (not in a loop or a condition inside it). */
function evaluatedOnce(statement: PyNode, use: PyNode): boolean {
  return nodesDownTo(statement, use).slice(0, -1).every((n, i) => i === 0 ? !['While', 'For', 'AsyncFor'].includes(n._type) || isHeaderUse(n, use) : !CONDITIONAL.has(n._type));
}

function isHeaderUse(loop: PyNode, use: PyNode): boolean {
  const iter = getAttr(loop, 'iter');
  return loop._type !== 'While' && isNode(iter) && [...walk(iter)].includes(use);
}

/** A temporary `t = <expr>` read exactly once, later in its block: the student wrote `<expr>` there instead. */
function inlineTemporary(fn: ChangedFunction, blocks: AlignedBlock[]): Planned {
  const kind = 'temporary-inlined';
  const candidates: Array<{ block: AlignedBlock; at: Record<Side, number>; name: string; score: number }> = [];
  for (const block of blocks) {
    for (const [r, p] of block.pairs) {
      const statement = block.reference[r]!;
      const name = singleNameTarget(statement);
      if (!name || !movable(getAttr(statement, 'value') as PyNode)) continue;
      const reads = loadedNames(getAttr(statement, 'value') as PyNode);
      const fits = (side: Side, source: PyNode, list: PyNode[], at: number, required: boolean): boolean => {
        if (bindingsOf(source, name) !== 1) return false;
        const uses = loadsOf(source, name);
        if (uses.length === 0) return !required;
        if (uses.length !== 1) return false;
        const u = list.findIndex((s) => [...walk(s)].includes(uses[0]!));
        if (u <= at || !evaluatedOnce(list[u]!, uses[0]!)) return false;
        return list.slice(at + 1, u).every((s) => !reads.some((n) => storedNames(s).has(n)));
      };
      if (!fits('reference', fn.reference, block.reference, r, true) || !fits('patched', fn.patched, block.patched, p, false)) continue;
      const use = loadsOf(fn.reference, name)[0]!;
      const u = block.reference.findIndex((s) => [...walk(s)].includes(use));
      candidates.push({ block, at: { reference: r, patched: p }, name, score: distanceToChange(block, u) });
    }
  }
  const best = candidates.sort((a, b) => a.score - b.score)[0];
  if (!best) return { skip: { kind, reason: `\`${fn.key}\` has no temporary read once, later in its block` } };
  return {
    plan: {
      kind,
      description: `the temporary \`${best.name}\` in \`${fn.key}\` inlined into its single use`,
      apply: (tree, side) => {
        const node = functionIn(tree, fn.key);
        const list = node && blockAt(node, best.block.path[side]);
        const statement = list?.[best.at[side]];
        if (!node || !list || !statement) return;
        const use = loadsOf(node, best.name)[0];
        if (use) replaceNode(node, use, deepCopy(getAttr(statement, 'value') as PyNode));
        list.splice(list.indexOf(statement), 1);
      },
    },
  };
}

/** A part of a changed statement (that the patch keeps, or deletes with its statement) held in a variable of its own first. */
function extractSubexpression(fn: ChangedFunction, blocks: AlignedBlock[], names: FreshNames): Planned {
  const kind = 'subexpression-extracted';
  for (const block of blocks) {
    const changedPatched = changedIndices(block, 'patched');
    for (const r of changedIndices(block, 'reference')) {
      const statement = block.reference[r]!;
      const value = getAttr(statement, 'value');
      if (!SIMPLE_WITH_VALUE.has(statement._type) || !isNode(value)) continue;
      for (const part of [...walk(value)].slice(1)) {
        if (!['Call', 'BinOp', 'Subscript'].includes(part._type) || !movable(part) || !evaluatedOnce(statement, part)) continue;
        if ((getAttr(part, 'ctx') as PyNode | undefined)?._type === 'Store') continue;
        if ([...walk(statement)].filter((n) => sameTree(n, part)).length !== 1) continue;
        const inReference = pathTo(statement, part)!;
        let patched: { at: number; steps: NodeStep[] } | { insertAt: number } | undefined;
        if (changedPatched.length === 0) {
          // The patch deletes the statement: the student's variable stays, unused.
          const before = block.pairs.filter(([a]) => a < r).at(-1);
          patched = { insertAt: before ? before[1] + 1 : 0 };
        } else {
          const hits = changedPatched.flatMap((q) => [...walk(block.patched[q]!)].filter((n) => sameTree(n, part)).map((n) => ({ q, n })));
          const hit = hits.length === 1 ? hits[0]! : undefined;
          const target = hit && block.patched[hit.q]!;
          if (hit && target && SIMPLE_WITH_VALUE.has(target._type) && evaluatedOnce(target, hit.n)) patched = { at: hit.q, steps: pathTo(target, hit.n)! };
        }
        if (!patched) continue;
        const name = names.fresh(part._type === 'Call' ? 'computed' : part._type === 'BinOp' ? 'partial' : 'item');
        const where = patched;
        return {
          plan: {
            kind,
            description: `a part of a changed statement of \`${fn.key}\` held in a variable of its own, \`${name}\`, just before it`,
            apply: (tree, side) => {
              const list = blockIn(tree, fn.key, block.path[side]);
              if (!list) return;
              if (side === 'reference' || !('insertAt' in where)) {
                const index = side === 'reference' ? r : (where as { at: number }).at;
                const holder = list[index]!;
                const found = followPath(holder, side === 'reference' ? inReference : (where as { steps: NodeStep[] }).steps);
                if (!found) return;
                replaceNode(holder, found, { _type: 'Name', id: name, ctx: { _type: 'Load' } });
                list.splice(index, 0, assignment(name, found));
              } else {
                list.splice(where.insertAt, 0, assignment(name, deepCopy(part)));
              }
            },
          },
        };
      }
    }
  }
  return { skip: { kind, reason: `no changed statement of \`${fn.key}\` has a part to hold in a variable on both sides` } };
}

function isGuard(statement: PyNode): boolean {
  if (statement._type === 'Assert') return true;
  const body = getAttr(statement, 'body');
  const orelse = getAttr(statement, 'orelse');
  const last = Array.isArray(body) ? body.at(-1) : undefined;
  return statement._type === 'If' && Array.isArray(orelse) && orelse.length === 0 && isNode(last) && ['Raise', 'Return', 'Continue', 'Break'].includes(last._type);
}

function independent(a: PyNode, b: PyNode): boolean {
  const storesA = storedNames(a);
  const storesB = storedNames(b);
  const loadsA = new Set(loadedNames(a));
  const loadsB = new Set(loadedNames(b));
  return ![...storesA].some((n) => loadsB.has(n) || storesB.has(n)) && ![...storesB].some((n) => loadsA.has(n));
}

/** Two adjacent independent assignments (or guards) the patch leaves alone, in the other order. */
function reorderStatements(fn: ChangedFunction, blocks: AlignedBlock[]): Planned {
  const kind = 'reordered';
  const candidates: Array<{ block: AlignedBlock; at: Record<Side, number>; score: number }> = [];
  for (const block of blocks) {
    for (const [r, p] of block.pairs) {
      if (!block.pairs.some(([a, b]) => a === r + 1 && b === p + 1)) continue;
      const [a, b] = [block.reference[r]!, block.reference[r + 1]!];
      const kindOf = (s: PyNode) => (isGuard(s) ? 'guard' : ['Assign', 'AnnAssign'].includes(s._type) && movable(getAttr(s, 'value') as PyNode) ? 'assignment' : undefined);
      if (!kindOf(a) || kindOf(a) !== kindOf(b) || sameTree(a, b) || !independent(a, b)) continue;
      candidates.push({ block, at: { reference: r, patched: p }, score: distanceToChange(block, r + 1) });
    }
  }
  const best = candidates.sort((x, y) => x.score - y.score)[0];
  if (!best) return { skip: { kind, reason: `\`${fn.key}\` has no two adjacent independent assignments or guards the patch leaves alone` } };
  return {
    plan: {
      kind,
      description: `two independent statements of \`${fn.key}\` in the other order`,
      apply: (tree, side) => {
        const list = blockIn(tree, fn.key, best.block.path[side]);
        const i = best.at[side];
        if (list && list[i + 1]) [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
      },
    },
  };
}

/** `a, b = x, y` split into two assignments, or (when there is none) two adjacent independent assignments joined into one. */
function tupleAssignment(fn: ChangedFunction, blocks: AlignedBlock[]): Planned {
  const kind = 'tuple-assignment';
  const splits: Array<{ block: AlignedBlock; at: Record<Side, number>; score: number }> = [];
  const joins: Array<{ block: AlignedBlock; at: Record<Side, number>; score: number }> = [];
  for (const block of blocks) {
    for (const [r, p] of block.pairs) {
      const statement = block.reference[r]!;
      const targets = getAttr(statement, 'targets');
      const target = Array.isArray(targets) && targets.length === 1 ? targets[0] : undefined;
      const value = getAttr(statement, 'value');
      if (statement._type === 'Assign' && isNode(target) && target._type === 'Tuple' && isNode(value) && value._type === 'Tuple') {
        const names = (getAttr(target, 'elts') as PyNode[]).map((e) => (e._type === 'Name' ? e.id : undefined));
        const values = getAttr(value, 'elts') as PyNode[];
        if (names.every((n) => typeof n === 'string') && names.length === values.length && values.every((v) => movable(v) && !loadedNames(v).some((n) => names.includes(n)))) {
          splits.push({ block, at: { reference: r, patched: p }, score: distanceToChange(block, r) });
        }
      }
      if (!block.pairs.some(([a, b]) => a === r + 1 && b === p + 1)) continue;
      const next = block.reference[r + 1]!;
      const [first, second] = [singleNameTarget(statement), singleNameTarget(next)];
      if (!first || !second || first === second || !movable(getAttr(statement, 'value') as PyNode) || !movable(getAttr(next, 'value') as PyNode)) continue;
      if (loadedNames(getAttr(next, 'value') as PyNode).includes(first)) continue;
      joins.push({ block, at: { reference: r, patched: p }, score: distanceToChange(block, r + 1) });
    }
  }
  const split = splits.sort((x, y) => x.score - y.score)[0];
  const join = joins.sort((x, y) => x.score - y.score)[0];
  if (split) {
    return {
      plan: {
        kind,
        description: `a tuple assignment of \`${fn.key}\` split into one assignment per name`,
        apply: (tree, side) => {
          const list = blockIn(tree, fn.key, split.block.path[side]);
          const statement = list?.[split.at[side]];
          if (!list || !statement) return;
          const targets = getAttr((getAttr(statement, 'targets') as PyNode[])[0]!, 'elts') as PyNode[];
          const values = getAttr(getAttr(statement, 'value') as PyNode, 'elts') as PyNode[];
          list.splice(split.at[side], 1, ...targets.map((t, i) => assignment(String(t.id), values[i]!)));
        },
      },
    };
  }
  if (join) {
    return {
      plan: {
        kind,
        description: `two adjacent assignments of \`${fn.key}\` joined into one tuple assignment`,
        apply: (tree, side) => {
          const list = blockIn(tree, fn.key, join.block.path[side]);
          const i = join.at[side];
          const [a, b] = [list?.[i], list?.[i + 1]];
          if (!list || !a || !b) return;
          const target = (s: PyNode) => (getAttr(s, 'targets') as PyNode[])[0]!;
          list.splice(i, 2, {
            _type: 'Assign',
            targets: [{ _type: 'Tuple', elts: [target(a), target(b)], ctx: { _type: 'Store' } }],
            value: { _type: 'Tuple', elts: [getAttr(a, 'value') as PyNode, getAttr(b, 'value') as PyNode], ctx: { _type: 'Load' } },
            type_comment: null,
          });
        },
      },
    };
  }
  return { skip: { kind, reason: `\`${fn.key}\` has no tuple assignment to split nor two adjacent independent assignments to join` } };
}

function assignment(name: string, value: PyNode): PyNode {
  return { _type: 'Assign', targets: [{ _type: 'Name', id: name, ctx: { _type: 'Store' } }], value, type_comment: null };
}
