import { fieldsOf, getAttr, isNode, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import { PythonException } from './python-exception.js';

/**
 * The canonical copy the reference injector matches `find_and_track` patterns against:
 * inside each `def <target>` positional parameters become `_argN`, Name targets of Assign
 * become `_varN` (value visited before targets), and later loads follow the renames.
 * Mutates and returns `tree` (callers pass a deep copy). Mirrors an ast.NodeTransformer,
 * including the AttributeError it raises on a tree whose Assign lost its value.
 */
export function canonicalize(tree: PyValue, targetFunction: string): PyValue {
  const state = { inTarget: false, names: new Map<string, string>(), vars: 0 };

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
    if (node.name !== targetFunction) return visitChildren(node);
    const saved = { ...state, names: state.names };
    state.inTarget = true;
    state.names = new Map();
    state.vars = 0;
    const args = getAttr(getAttr(node, 'args'), 'args');
    if (Array.isArray(args)) {
      args.forEach((arg, i) => {
        if (isNode(arg) && typeof arg.arg === 'string') {
          state.names.set(arg.arg, `_arg${i}`);
          arg.arg = `_arg${i}`;
        }
      });
    }
    visitChildren(node);
    state.inTarget = saved.inTarget;
    state.names = saved.names;
    state.vars = saved.vars;
  };

  const visitAssign = (node: PyNode): void => {
    if (!Object.prototype.hasOwnProperty.call(node, 'value')) {
      throw new PythonException('AttributeError', "'Assign' object has no attribute 'value'");
    }
    visit(node.value);
    const targets = getAttr(node, 'targets');
    for (const target of Array.isArray(targets) ? targets : []) {
      if (!isNode(target)) continue;
      if (target._type === 'Name' && state.inTarget && typeof target.id === 'string') {
        const renamed = `_var${state.vars++}`;
        state.names.set(target.id, renamed);
        target.id = renamed;
      } else {
        visit(target);
      }
    }
  };

  const visitName = (node: PyNode): void => {
    const ctx = getAttr(node, 'ctx');
    if (state.inTarget && isNode(ctx) && ctx._type === 'Load' && typeof node.id === 'string') {
      const renamed = state.names.get(node.id);
      if (renamed !== undefined) node.id = renamed;
    }
  };

  visit(tree);
  return tree;
}
