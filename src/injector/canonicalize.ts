import { fieldsOf, getAttr, isNode, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import { PythonException } from './python-exception.js';

/**
 * The names the engine's canonical copy gives a tree's nodes: `Name` nodes (their `id`) and
 * `arg` nodes (their `arg`) that its Canonicalizer renames, and to what. The copy itself only
 * differs from the tree by these names, so the injector matches `find_and_track` patterns
 * against the tree through this view instead of copying it.
 */
export type CanonicalNames = ReadonlyMap<PyNode, string>;

/**
 * The renames of the engine's Canonicalizer (an ast.NodeTransformer) on `tree`, which is left
 * unchanged. In every `def <target>` the positional parameters become `_argN` and only the body
 * is visited; every Assign visited (value first) gives its Name targets `_varN` and does not visit
 * other targets; every Name visited whose id has a mapping takes it, whatever its context. Other
 * `def`s are not entered. The mapping and the counter are reset at each target `def` and kept
 * afterwards, so module- and class-level code that comes later is renamed too. Raises what the
 * engine raises (AttributeError on an Assign that lost its value).
 */
export function canonicalNames(tree: PyValue, targetFunction: string): CanonicalNames {
  const renamed = new Map<PyNode, string>();
  let names = new Map<string, string>();
  let vars = 0;
  // The id a node has at this point of the engine's walk (an earlier rename of it included).
  const idOf = (node: PyNode): unknown => renamed.get(node) ?? node.id;

  const visit = (node: PyValue | undefined): void => {
    if (!isNode(node)) {
      throw new PythonException('AttributeError', `'${pyTypeName(node)}' object has no attribute '_fields'`);
    }
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
    names = new Map();
    vars = 0;
    const args = getAttr(getAttr(node, 'args'), 'args');
    if (Array.isArray(args)) {
      args.forEach((arg, i) => {
        if (isNode(arg) && typeof arg.arg === 'string') {
          names.set(arg.arg, `_arg${i}`);
          renamed.set(arg, `_arg${i}`);
        }
      });
    }
    const body = getAttr(node, 'body');
    for (const statement of Array.isArray(body) ? body : []) visit(statement);
  };

  const visitAssign = (node: PyNode): void => {
    if (!Object.prototype.hasOwnProperty.call(node, 'value')) {
      throw new PythonException('AttributeError', "'Assign' object has no attribute 'value'");
    }
    visit(node.value);
    const targets = getAttr(node, 'targets');
    for (const target of Array.isArray(targets) ? targets : []) {
      const id = isNode(target) && target._type === 'Name' ? idOf(target) : undefined;
      if (typeof id !== 'string') continue;
      const canonical = `_var${vars++}`;
      names.set(id, canonical);
      renamed.set(target as PyNode, canonical);
    }
  };

  const visitName = (node: PyNode): void => {
    const id = idOf(node);
    const canonical = typeof id === 'string' ? names.get(id) : undefined;
    if (canonical !== undefined) renamed.set(node, canonical);
  };

  visit(tree);
  return renamed;
}

/** The engine's canonical copy itself: `tree` with the renames applied (callers pass a deep copy). */
export function canonicalize(tree: PyValue, targetFunction: string): PyValue {
  for (const [node, name] of canonicalNames(tree, targetFunction)) {
    if (node._type === 'arg') node.arg = name;
    else node.id = name;
  }
  return tree;
}
