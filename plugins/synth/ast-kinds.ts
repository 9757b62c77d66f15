// What kind of thing a CPython `ast` node is, as far as v2.1 edits care.
import { attributesOf, fieldsOf, getAttr, isNode, isScalar, type PyNode, type PyValue } from '../../src/plugin-kit.js';

export { isStatement } from '../../src/plugin-kit.js';

/** Fields that hold a block of statements. */
export const STATEMENT_LIST_FIELDS = new Set(['body', 'orelse', 'finalbody']);

export function isFunction(node: PyNode): boolean {
  return node._type === 'FunctionDef' || node._type === 'AsyncFunctionDef';
}

/** Operators (`Add`, `Lt`…) and contexts (`Load`): nodes without fields or positions, compared by class alone. */
export function isFieldless(value: PyValue | undefined): boolean {
  return isNode(value) && fieldsOf(value).length === 0 && attributesOf(value).length === 0;
}

/** `replace_value_with` applies: the node holds an AST node in a `value` field (not `Constant.value`). */
export function hasNodeValue(node: PyNode): boolean {
  return fieldsOf(node).includes('value') && isNode(getAttr(node, 'value'));
}

export function lineOf(node: PyNode): number | undefined {
  const line = node.lineno;
  return isScalar(line) && line.$py === 'int' ? Number(line.v) : undefined;
}

/** Lists whose elements can be deleted one by one and still leave the same kind of node. */
export function isRemovableItemList(owner: PyNode, field: string): boolean {
  switch (owner._type) {
    case 'Call':
      return field === 'args';
    case 'List':
    case 'Tuple':
    case 'Set':
      return field === 'elts';
    case 'Dict':
      return field === 'keys' || field === 'values';
    case 'FunctionDef':
    case 'AsyncFunctionDef':
      return field === 'decorator_list';
    case 'ClassDef':
      return field === 'decorator_list' || field === 'bases';
    case 'Import':
    case 'ImportFrom':
      return field === 'names';
    case 'comprehension':
      return field === 'ifs';
    case 'BoolOp':
      return field === 'values';
    case 'Try':
    case 'TryStar':
      return field === 'handlers';
    case 'Assign':
    case 'Delete':
      return field === 'targets';
    default:
      return false;
  }
}
