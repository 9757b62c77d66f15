import { fieldsOf, getAttr, hasAttr, isNode, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import { PythonException } from './python-exception.js';

/**
 * The names the engine's canonical copy gives a tree's nodes: `Name` nodes (their `id`) and
 * `arg` nodes (their `arg`) that its Canonicalizer renames, and to what. The copy itself only
 * differs from the tree by these names, so the injector matches `find_and_track` patterns
 * against the tree through this view instead of copying it.
 */
export type CanonicalNames = ReadonlyMap<PyNode, string>;

/**
 * The engine's one Canonicalizer instance: its name mapping and `_varN` counter. The engine
 * reuses the instance for every canonical copy it builds, so a copy starts where the previous
 * one left off (module-level code before the target `def` is renamed with what is left over).
 */
export interface CanonicalizerState {
  names: Map<string, string>;
  vars: number;
}

export function canonicalizerState(): CanonicalizerState {
  return { names: new Map(), vars: 0 };
}

/**
 * The renames of the engine's Canonicalizer (an ast.NodeTransformer) on `tree`, which is left
 * unchanged. In every `def <target>` the positional parameters become `_argN` and only the body
 * is visited; every Assign visited (value first) gives its Name targets `_varN` and does not visit
 * other targets; every Name visited whose id has a mapping takes it, whatever its context. Other
 * `def`s are not entered. The mapping and the counter (`state`, updated) are reset at each target
 * `def` and kept afterwards, so module- and class-level code that comes later is renamed too.
 * Raises what the engine raises on a tree a replacement left malformed: an Assign that lost its
 * value, a value or a statement of the target that is not a node (a list, a string…).
 */
export function canonicalNames(tree: PyValue, targetFunction: string, state: CanonicalizerState = canonicalizerState()): CanonicalNames {
  const renamed = new Map<PyNode, string>();
  // The id a node has at this point of the engine's walk (an earlier rename of it included).
  const idOf = (node: PyNode): unknown => renamed.get(node) ?? node.id;

  const visit = (node: PyValue | undefined): void => {
    if (!isNode(node)) throw noAttribute(node, '_fields');
    switch (node._type) {
      case 'FunctionDef':
        return visitFunctionDef(node);
      case 'Assign':
        return visitAssign(node);
      case 'Name':
        return visitName(node);
      default:
        return visitChildren(node);
    }
  };

  const visitChildren = (node: PyNode): void => {
    for (const field of fieldsOf(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, field)) continue;
      const value = node[field];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item);
      } else if (isNode(value)) {
        visit(value);
      }
    }
  };

  const visitFunctionDef = (node: PyNode): void => {
    if (node.name !== targetFunction) return;
    state.names = new Map();
    state.vars = 0;
    // for i, arg in enumerate(node.args.args): var_mapping[arg.arg] = arg.arg = f'_arg{i}'
    const args = attribute(attribute(node, 'args'), 'args');
    if (!Array.isArray(args)) throw new PythonException('TypeError', `'${pyTypeName(args)}' object is not iterable`);
    args.forEach((arg, i) => {
      const name = attribute(arg, 'arg');
      if (typeof name === 'string') state.names.set(name, `_arg${i}`);
      renamed.set(arg as PyNode, `_arg${i}`);
    });
    for (const statement of attribute(node, 'body') as PyValue[]) visit(statement);
  };

  const visitAssign = (node: PyNode): void => {
    visit(attribute(node, 'value'));
    for (const target of attribute(node, 'targets') as PyValue[]) {
      const id = isNode(target) && target._type === 'Name' ? idOf(target) : undefined;
      if (typeof id !== 'string') continue;
      const canonical = `_var${state.vars++}`;
      state.names.set(id, canonical);
      renamed.set(target as PyNode, canonical);
    }
  };

  const visitName = (node: PyNode): void => {
    const id = idOf(node);
    const canonical = typeof id === 'string' ? state.names.get(id) : undefined;
    if (canonical !== undefined) renamed.set(node, canonical);
  };

  visit(tree);
  return renamed;
}

/** Python's `value.name`: what it holds, or the AttributeError Python raises. */
function attribute(value: PyValue | undefined, name: string): PyValue {
  if (!hasAttr(value, name)) throw noAttribute(value, name);
  return getAttr(value, name)!;
}

function noAttribute(value: PyValue | undefined, name: string): PythonException {
  return new PythonException('AttributeError', `'${pyTypeName(value)}' object has no attribute '${name}'`);
}

/**
 * The engine's canonical copy itself: `tree` with the renames applied (callers pass a deep copy).
 * `state` is the Canonicalizer's, advanced as the engine's one instance would be.
 */
export function canonicalize(tree: PyValue, targetFunction: string, state: CanonicalizerState = canonicalizerState()): PyValue {
  for (const [node, name] of canonicalNames(tree, targetFunction, state)) {
    if (node._type === 'Name') node.id = name;
    else node.arg = name;
  }
  return tree;
}
