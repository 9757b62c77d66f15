// Which names in a pattern are part of the code's structure (libraries, builtins, the module's
// own functions and classes, the parameters of the API a student implements) and which are the
// author's local variables, that a student's implementation is unlikely to share.
import { childNodes, getAttr, isNode, type PyNode } from '../../src/python/tree.js';

const BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'bytes', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'frozenset', 'getattr',
  'hasattr', 'hash', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'map', 'max', 'min', 'next', 'object',
  'open', 'ord', 'chr', 'pow', 'print', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted',
  'str', 'sum', 'super', 'tuple', 'type', 'zip', 'None', 'True', 'False', 'NotImplemented', 'Exception',
  'ValueError', 'TypeError', 'KeyError', 'IndexError', 'RuntimeError', 'AssertionError', 'StopIteration',
  'self', 'cls',
]);

export type NameTier =
  /** Names a student's code most likely uses too. */
  | 'shared'
  /** Parameters of the function around the code: its signature is usually given to students. */
  | 'parameter'
  /** The author's own variables. */
  | 'local';

export interface NameTiers {
  tierOf(name: string): NameTier;
}

/** Imported names, module-level definitions and constants, builtins, `self`/`cls`. */
export function nameTiers(module: PyNode): NameTiers {
  const shared = new Set(BUILTINS);
  const body = getAttr(module, 'body');
  for (const statement of Array.isArray(body) ? body : []) {
    if (!isNode(statement)) continue;
    switch (statement._type) {
      case 'Import':
      case 'ImportFrom':
        for (const alias of asNodes(getAttr(statement, 'names'))) {
          const asname = getAttr(alias, 'asname');
          const name = getAttr(alias, 'name');
          if (typeof asname === 'string') shared.add(asname);
          else if (typeof name === 'string') shared.add(statement._type === 'Import' ? name.split('.')[0]! : name);
        }
        break;
      case 'FunctionDef':
      case 'AsyncFunctionDef':
      case 'ClassDef':
        if (typeof statement.name === 'string') shared.add(statement.name);
        break;
      case 'Assign':
        for (const target of asNodes(getAttr(statement, 'targets'))) {
          if (target._type === 'Name' && typeof target.id === 'string') shared.add(target.id);
        }
        break;
      default:
        break;
    }
  }
  return { tierOf: (name) => (shared.has(name) ? 'shared' : 'local') };
}

function asNodes(value: unknown): PyNode[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** The same tiers, knowing the parameters of the function around the pattern's target. */
export function withParameters(names: NameTiers, parameters: ReadonlySet<string>): NameTiers {
  return { tierOf: (name) => (names.tierOf(name) === 'shared' ? 'shared' : parameters.has(name) ? 'parameter' : 'local') };
}

/** Parameter names of the functions (and lambdas) enclosing `target`. */
export function enclosingParameters(root: PyNode, target: PyNode): Set<string> {
  const path: PyNode[] = [];
  const find = (node: PyNode): boolean => {
    path.push(node);
    if (node === target || childNodes(node).some(find)) return true;
    path.pop();
    return false;
  };
  find(root);
  const names = new Set<string>();
  for (const node of path.slice(0, -1)) {
    if (!['FunctionDef', 'AsyncFunctionDef', 'Lambda'].includes(node._type)) continue;
    const args = getAttr(node, 'args');
    for (const field of ['posonlyargs', 'args', 'kwonlyargs', 'vararg', 'kwarg']) {
      const value = getAttr(args, field);
      for (const arg of Array.isArray(value) ? value : [value]) {
        const name = getAttr(arg ?? undefined, 'arg');
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return names;
}
