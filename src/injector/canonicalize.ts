import { fieldsOf, getAttr, isNode, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import { PythonException } from './python-exception.js';

/**
 * The canonical copy the engine's injector matches `find_and_track` patterns against, as its
 * Canonicalizer (an ast.NodeTransformer) builds it. In every `def <target>` the positional
 * parameters become `_argN` and only the body is visited; every Assign visited (value first)
 * gives its Name targets `_varN` and does not visit other targets; every Name visited whose id
 * has a mapping takes it, whatever its context. Other `def`s are not entered. The mapping and the
 * counter are reset at each target `def` and kept afterwards, so module- and class-level code
 * that comes later is renamed too. Mutates and returns `tree` (callers pass a deep copy),
 * including the AttributeError the engine raises on an Assign that lost its value.
 */
export function canonicalize(tree: PyValue, targetFunction: string): PyValue {
  let names = new Map<string, string>();
  let vars = 0;

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
          arg.arg = `_arg${i}`;
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
      if (isNode(target) && target._type === 'Name' && typeof target.id === 'string') {
        const renamed = `_var${vars++}`;
        names.set(target.id, renamed);
        target.id = renamed;
      }
    }
  };

  const visitName = (node: PyNode): void => {
    const renamed = typeof node.id === 'string' ? names.get(node.id) : undefined;
    if (renamed !== undefined) node.id = renamed;
  };

  visit(tree);
  return tree;
}
