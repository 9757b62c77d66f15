// Student-style variants that spell the changed code another common way: `a @ b` as
// `torch.matmul(a, b)`, `x ** 2` as `x * x`, `x = x + y` as `x += y`, the operands of `+`/`*`
// swapped (and the other way round where the reference has the second spelling), the two
// arguments of `min`/`max` swapped. The reference's changed statements are respelled; on the patched side,
// exactly the same pieces of code where they survive the patch, and an operation whose other
// operand (or a call whose function) the patch changed (code the patch writes keeps the
// author's spelling).
import { deepCopy, getAttr, isNode, isScalar, sameTree, walk, type PyNode } from '../python/tree.js';
import { alignFunctionBlocks, blockAt, changedIndices, type AlignedBlock } from './block-alignment.js';
import { functionUnits, moduleBoundNames } from './python-names.js';
import type { VariantKind, VariantPlan } from './student-variants.js';
import { rewriteBelow } from './tree-edit.js';
import type { ChangedFunction } from './restructured-variants.js';

interface Spelling {
  kind: VariantKind;
  description: string;
  /** The node respelled, or undefined when this spelling does not apply to it. */
  respell(node: PyNode): PyNode | undefined;
}

const load = { _type: 'Load' };
const name = (id: string): PyNode => ({ _type: 'Name', id, ctx: { ...load } });
const COMMUTATIVE = new Set(['Add', 'Mult', 'BitOr', 'BitAnd', 'BitXor']);
const SYMMETRIC_BUILTINS = new Set(['min', 'max']);
/** Targets an augmented assignment can have: `x += y`, `self.n += 1`, `dp[i] += x`. */
const ASSIGNABLE = new Set(['Name', 'Attribute', 'Subscript']);
const ARITHMETIC = new Set(['Add', 'Sub', 'Mult', 'Div', 'FloorDiv', 'Mod', 'Pow', 'MatMult', 'BitOr', 'BitAnd', 'BitXor', 'LShift', 'RShift']);

const opOf = (node: PyNode): string | undefined => (isNode(getAttr(node, 'op')) ? (getAttr(node, 'op') as PyNode)._type : undefined);

function isTorchMatmul(node: PyNode): boolean {
  const func = getAttr(node, 'func');
  const args = getAttr(node, 'args');
  const keywords = getAttr(node, 'keywords');
  return (
    node._type === 'Call' && isNode(func) && func._type === 'Attribute' && func.attr === 'matmul' && isNode(getAttr(func, 'value')) &&
    (getAttr(func, 'value') as PyNode)._type === 'Name' && (getAttr(func, 'value') as PyNode).id === 'torch' &&
    Array.isArray(args) && args.length === 2 && Array.isArray(keywords) && keywords.length === 0
  );
}

function isPlainOperand(node: PyValueNode): boolean {
  return isNode(node) && !(node._type === 'Constant' && typeof node.value === 'string') && !['JoinedStr', 'List', 'Tuple', 'Starred'].includes(node._type);
}
type PyValueNode = ReturnType<typeof getAttr>;

function spellings(module: PyNode, sample: readonly PyNode[]): Spelling[] {
  const has = (test: (n: PyNode) => boolean) => sample.some((s) => [...walk(s)].some(test));
  const out: Spelling[] = [];
  const matmulOp = (n: PyNode) => n._type === 'BinOp' && opOf(n) === 'MatMult';
  if (has(matmulOp) && moduleBoundNames(module).has('torch')) {
    out.push({
      kind: 'spelled-matmul',
      description: '`a @ b` written `torch.matmul(a, b)` in the changed code',
      respell: (n) => (matmulOp(n) ? { _type: 'Call', func: { _type: 'Attribute', value: name('torch'), attr: 'matmul', ctx: { ...load } }, args: [getAttr(n, 'left') as PyNode, getAttr(n, 'right') as PyNode], keywords: [] } : undefined),
    });
  } else if (has(isTorchMatmul)) {
    out.push({
      kind: 'spelled-matmul',
      description: '`torch.matmul(a, b)` written `a @ b` in the changed code',
      respell: (n) => (isTorchMatmul(n) ? { _type: 'BinOp', left: (getAttr(n, 'args') as PyNode[])[0]!, op: { _type: 'MatMult' }, right: (getAttr(n, 'args') as PyNode[])[1]! } : undefined),
    });
  }
  const two = (v: ReturnType<typeof getAttr>) => isNode(v) && v._type === 'Constant' && isScalar(v.value) && v.value.$py === 'int' && v.value.v === '2';
  const square = (n: PyNode) => n._type === 'BinOp' && opOf(n) === 'Pow' && isNode(getAttr(n, 'left')) && (getAttr(n, 'left') as PyNode)._type === 'Name' && two(getAttr(n, 'right'));
  const product = (n: PyNode) => n._type === 'BinOp' && opOf(n) === 'Mult' && isNode(getAttr(n, 'left')) && (getAttr(n, 'left') as PyNode)._type === 'Name' && sameTree(getAttr(n, 'left'), getAttr(n, 'right'));
  if (has(square)) {
    out.push({ kind: 'spelled-square', description: '`x ** 2` written `x * x` in the changed code', respell: (n) => (square(n) ? { _type: 'BinOp', left: getAttr(n, 'left') as PyNode, op: { _type: 'Mult' }, right: deepCopy(getAttr(n, 'left') as PyNode) } : undefined) });
  } else if (has(product)) {
    out.push({ kind: 'spelled-square', description: '`x * x` written `x ** 2` in the changed code', respell: (n) => (product(n) ? { _type: 'BinOp', left: getAttr(n, 'left') as PyNode, op: { _type: 'Pow' }, right: { _type: 'Constant', value: { $py: 'int', v: '2' }, kind: null } } : undefined) });
  }
  const selfUpdate = (n: PyNode) => {
    const targets = getAttr(n, 'targets');
    const value = getAttr(n, 'value');
    const target = Array.isArray(targets) && targets.length === 1 ? targets[0] : undefined;
    return n._type === 'Assign' && isNode(target) && ASSIGNABLE.has(target._type) && isNode(value) && value._type === 'BinOp' && ARITHMETIC.has(opOf(value) ?? '') && sameTree(getAttr(value, 'left'), { ...target, ctx: { ...load } });
  };
  const augmented = (n: PyNode) => n._type === 'AugAssign' && isNode(getAttr(n, 'target')) && ASSIGNABLE.has((getAttr(n, 'target') as PyNode)._type);
  if (has(selfUpdate)) {
    out.push({
      kind: 'spelled-augmented',
      description: '`x = x + y` written `x += y` in the changed code',
      respell: (n) => (selfUpdate(n) ? { _type: 'AugAssign', target: (getAttr(n, 'targets') as PyNode[])[0]!, op: getAttr(getAttr(n, 'value') as PyNode, 'op') as PyNode, value: getAttr(getAttr(n, 'value') as PyNode, 'right') as PyNode } : undefined),
    });
  } else if (has(augmented)) {
    out.push({
      kind: 'spelled-augmented',
      description: '`x += y` written `x = x + y` in the changed code',
      respell: (n) => {
        if (!augmented(n)) return undefined;
        const target = getAttr(n, 'target') as PyNode;
        return { _type: 'Assign', targets: [target], value: { _type: 'BinOp', left: { ...deepCopy(target), ctx: { ...load } }, op: getAttr(n, 'op') as PyNode, right: getAttr(n, 'value') as PyNode }, type_comment: null };
      },
    });
  }
  const commutable = (n: PyNode) => n._type === 'BinOp' && COMMUTATIVE.has(opOf(n) ?? '') && isPlainOperand(getAttr(n, 'left')) && isPlainOperand(getAttr(n, 'right')) && !sameTree(getAttr(n, 'left'), getAttr(n, 'right'));
  const bound = moduleBoundNames(module);
  const symmetric = (n: PyNode) => isSymmetricCall(n) && !bound.has((getAttr(n, 'func') as PyNode).id as string);
  if (has(commutable)) {
    out.push({ kind: 'spelled-commuted', description: 'the operands of `+` and `*` swapped in the changed code', respell: (n) => (commutable(n) ? { ...n, left: getAttr(n, 'right') as PyNode, right: getAttr(n, 'left') as PyNode } : undefined) });
  }
  if (has(symmetric)) {
    out.push({ kind: 'spelled-min-max', description: 'the two arguments of `min`/`max` swapped in the changed code', respell: (n) => (symmetric(n) ? { ...n, args: [...(getAttr(n, 'args') as PyNode[])].reverse() } : undefined) });
  }
  return out;
}

/** `min(a, b)` or `max(a, b)` (the builtins, two plain positional arguments, no keyword): the order is the student's choice. */
function isSymmetricCall(n: PyNode): boolean {
  const func = getAttr(n, 'func');
  const args = getAttr(n, 'args');
  const keywords = getAttr(n, 'keywords');
  return (
    n._type === 'Call' && isNode(func) && func._type === 'Name' && SYMMETRIC_BUILTINS.has(func.id as string) &&
    Array.isArray(args) && args.length === 2 && args.every(isPlainOperand) && !sameTree(args[0], args[1]) &&
    Array.isArray(keywords) && keywords.length === 0
  );
}

/**
 * The patched `n` is the reference's operation `o` with one operand changed by the patch (`a + b`
 * → `a' + b`): the student who wrote `b + a` gets `b + a'`, so it is respelled too.
 */
function keptOperator(o: PyNode, n: PyNode): boolean {
  if (o._type === 'Call' && n._type === 'Call' && isSymmetricCall(o) && isSymmetricCall(n)) {
    // `min(a, b)` → `max(a, b)` or `min(a, b')`: the student's order carries over (the arguments
    // may be respelled already, children first, so a changed function alone says it is the same call).
    const [a, b] = getAttr(o, 'args') as PyNode[];
    const [a2, b2] = getAttr(n, 'args') as PyNode[];
    return !sameTree(getAttr(o, 'func'), getAttr(n, 'func')) || sameTree(a, a2) || sameTree(b, b2);
  }
  return o._type === 'BinOp' && n._type === 'BinOp' && opOf(o) === opOf(n) && (sameTree(getAttr(o, 'left'), getAttr(n, 'left')) || sameTree(getAttr(o, 'right'), getAttr(n, 'right')));
}

/** Statements of the changed function the patch changed, per side, with where they are. */
function changedStatements(fn: PyNode, blocks: readonly AlignedBlock[], side: 'reference' | 'patched'): Array<{ list: PyNode[]; index: number }> {
  return blocks.flatMap((block) => {
    const list = blockAt(fn, block.path[side]);
    return list ? changedIndices(block, side).map((index) => ({ list, index })) : [];
  });
}

/** One variant per spelling that applies to the changed code of `fn`. */
export function planSpellings(module: PyNode, fn: ChangedFunction): { plans: VariantPlan[]; kinds: VariantKind[] } {
  const blocks = alignFunctionBlocks(fn.reference, fn.patched);
  const sample = changedStatements(fn.reference, blocks, 'reference').map(({ list, index }) => list[index]!);
  const plans = spellings(module, sample).map((spelling): VariantPlan => {
    // What the reference's respelled pieces looked like: the patched side respells only these.
    const originals = sample.flatMap((s) => [...walk({ _type: 'Module', body: [deepCopy(s)], type_ignores: [] })].filter((n) => spelling.respell(deepCopy(n)) !== undefined));
    return {
      kind: spelling.kind,
      description: `${spelling.description} of \`${fn.key}\``,
      apply: (tree, side) => {
        const node = functionUnits(tree).find((u) => u.key === fn.key)?.node;
        if (!node) return;
        const rewrite = (n: PyNode) => (side === 'reference' || originals.some((o) => sameTree(o, n) || keptOperator(o, n)) ? spelling.respell(n) : undefined);
        for (const { list, index } of changedStatements(node, blocks, side)) {
          const holder: PyNode = { _type: 'Module', body: [list[index]!], type_ignores: [] };
          rewriteBelow(holder, rewrite);
          list[index] = (holder.body as PyNode[])[0]!;
        }
      },
    };
  });
  return { plans, kinds: plans.map((p) => p.kind) };
}
