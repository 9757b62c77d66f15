// Which names a Python module binds where: the functions a student writes, their parameters and
// local variables, the module's own names. Enough scope analysis to rename a student's variables
// consistently and to notice a name that a piece of code uses but nobody defines.
import { childNodes, getAttr, isNode, walk, type PyNode } from '../python/tree.js';

/** Python 3.11's `dir(builtins)` (dunder names a program may read included). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError ' +
    'BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError ' +
    'DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError ' +
    'FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError ' +
    'IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError ' +
    'NameError None NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning ' +
    'PermissionError ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning ' +
    'StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError ' +
    'UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ' +
    'ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ __import__ __loader__ __name__ __package__ ' +
    '__spec__ __file__ abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex ' +
    'copyright credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals ' +
    'hasattr hash help hex id input int isinstance issubclass iter len license list locals map max memoryview min next ' +
    'object oct open ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str sum ' +
    'super tuple type vars zip'
  ).split(' '),
);

/** A function a student writes: a module-level `def`, or a method of a module-level class. */
export interface FunctionUnit {
  /** `softmax`, `Linear.forward`, `Outer.Inner.method`. */
  qualifiedName: string;
  node: PyNode;
  /** The statement list holding the `def` (module or class body). */
  container: PyNode[];
  /** The enclosing class, for methods. */
  owner?: PyNode;
}

export function isFunctionDef(node: PyNode): boolean {
  return node._type === 'FunctionDef' || node._type === 'AsyncFunctionDef';
}

/** Module-level functions and the methods of module-level (and nested) classes, in file order. */
export function functionUnits(module: PyNode): FunctionUnit[] {
  const units: FunctionUnit[] = [];
  const visitBody = (body: PyNode[], prefix: string, owner?: PyNode) => {
    for (const statement of body) {
      if (isFunctionDef(statement)) {
        units.push({ qualifiedName: `${prefix}${String(statement.name)}`, node: statement, container: body, ...(owner ? { owner } : {}) });
      } else if (statement._type === 'ClassDef') {
        visitBody(blockOf(statement), `${prefix}${String(statement.name)}.`, statement);
      }
    }
  };
  visitBody(blockOf(module), '');
  return units;
}

/** The node's own `body` list (not a copy): statements inserted there end up in the tree. */
function blockOf(node: PyNode): PyNode[] {
  const body = getAttr(node, 'body');
  return Array.isArray(body) ? (body as PyNode[]) : [];
}

export function statementsOf(node: PyNode, field: string): PyNode[] {
  const value = getAttr(node, field);
  return Array.isArray(value) ? (value.filter(isNode) as PyNode[]) : [];
}

/** The parameters of a function or lambda, in signature order (positional-only, positional, *args, keyword-only, **kwargs). */
export function parameterNodes(fn: PyNode): PyNode[] {
  const args = getAttr(fn, 'args');
  if (!isNode(args)) return [];
  const out: PyNode[] = [];
  for (const field of ['posonlyargs', 'args', 'vararg', 'kwonlyargs', 'kwarg']) {
    const value = getAttr(args, field);
    for (const arg of Array.isArray(value) ? value : [value]) if (isNode(arg) && typeof arg.arg === 'string') out.push(arg);
  }
  return out;
}

export function parameterNames(fn: PyNode): string[] {
  return parameterNodes(fn).map((a) => a.arg as string);
}

/**
 * Names the author chose inside a function (its own parameters excluded): assignment, `for`,
 * `with`, comprehension, `except` and walrus targets, nested functions, classes and their
 * parameters. Names declared `global`/`nonlocal` and names imported inside are not locals.
 */
export function localNames(fn: PyNode): Set<string> {
  const bound = new Set<string>();
  const excluded = new Set<string>();
  for (const node of walk(fn)) {
    if (node === fn) continue;
    switch (node._type) {
      case 'Name': {
        const ctx = getAttr(node, 'ctx');
        if (isNode(ctx) && ctx._type !== 'Load' && typeof node.id === 'string') bound.add(node.id);
        break;
      }
      case 'ExceptHandler':
      case 'MatchAs':
      case 'MatchStar':
        if (typeof node.name === 'string') bound.add(node.name);
        break;
      case 'MatchMapping':
        if (typeof node.rest === 'string') bound.add(node.rest);
        break;
      case 'FunctionDef':
      case 'AsyncFunctionDef':
      case 'ClassDef':
        if (typeof node.name === 'string') bound.add(node.name);
        break;
      case 'Lambda':
        break;
      case 'arg':
        if (typeof node.arg === 'string') bound.add(node.arg);
        break;
      case 'Global':
      case 'Nonlocal':
        for (const name of stringList(getAttr(node, 'names'))) excluded.add(name);
        break;
      case 'Import':
      case 'ImportFrom':
        for (const alias of statementsOf(node, 'names')) excluded.add(importedName(alias, node._type === 'Import'));
        break;
      default:
        break;
    }
  }
  for (const own of parameterNames(fn)) bound.delete(own);
  for (const name of excluded) bound.delete(name);
  return bound;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function importedName(alias: PyNode, plainImport: boolean): string {
  const asname = getAttr(alias, 'asname');
  if (typeof asname === 'string') return asname;
  const name = String(getAttr(alias, 'name') ?? '');
  return plainImport ? name.split('.')[0]! : name;
}

/** Names bound anywhere in the tree (any scope), builtins included: what code in this file may use. */
export function definedNames(tree: PyNode): Set<string> {
  const names = new Set<string>(BUILTIN_NAMES);
  for (const node of walk(tree)) {
    switch (node._type) {
      case 'Name': {
        const ctx = getAttr(node, 'ctx');
        if (isNode(ctx) && ctx._type !== 'Load' && typeof node.id === 'string') names.add(node.id);
        break;
      }
      case 'arg':
        if (typeof node.arg === 'string') names.add(node.arg);
        break;
      case 'FunctionDef':
      case 'AsyncFunctionDef':
      case 'ClassDef':
      case 'ExceptHandler':
      case 'MatchAs':
      case 'MatchStar':
        if (typeof node.name === 'string') names.add(node.name);
        break;
      case 'MatchMapping':
        if (typeof node.rest === 'string') names.add(node.rest);
        break;
      case 'Import':
      case 'ImportFrom':
        for (const alias of statementsOf(node, 'names')) {
          const name = importedName(alias, node._type === 'Import');
          if (name !== '*') names.add(name);
        }
        break;
      default:
        break;
    }
  }
  return names;
}

/** Names the tree reads (`Name` in a Load context), in first-use order. */
export function loadedNames(tree: PyNode): string[] {
  const seen = new Set<string>();
  for (const node of walk(tree)) {
    if (node._type !== 'Name' || typeof node.id !== 'string') continue;
    const ctx = getAttr(node, 'ctx');
    if (isNode(ctx) && ctx._type === 'Load') seen.add(node.id);
  }
  return [...seen];
}

/**
 * Names `result` reads that nothing in it defines and that `original` did not already read
 * undefined (a star import or a global from elsewhere): what an injected edit introduced.
 */
export function introducedUndefinedNames(result: PyNode, original: PyNode): string[] {
  const defined = definedNames(result);
  const alreadyRead = new Set(loadedNames(original));
  if (hasStarImport(result)) return [];
  return loadedNames(result).filter((name) => !defined.has(name) && !alreadyRead.has(name));
}

function hasStarImport(tree: PyNode): boolean {
  for (const node of walk(tree)) {
    if (node._type === 'ImportFrom' && statementsOf(node, 'names').some((a) => getAttr(a, 'name') === '*')) return true;
  }
  return false;
}

/** Names bound at module level (imports, definitions, assignments) plus builtins: code everywhere in the file may share them. */
export function moduleLevelNames(module: PyNode): Set<string> {
  const names = new Set<string>(BUILTIN_NAMES);
  const visit = (node: PyNode) => {
    switch (node._type) {
      case 'FunctionDef':
      case 'AsyncFunctionDef':
      case 'ClassDef':
        if (typeof node.name === 'string') names.add(node.name);
        return;
      case 'Import':
      case 'ImportFrom':
        for (const alias of statementsOf(node, 'names')) names.add(importedName(alias, node._type === 'Import'));
        return;
      case 'Name': {
        const ctx = getAttr(node, 'ctx');
        if (isNode(ctx) && ctx._type !== 'Load' && typeof node.id === 'string') names.add(node.id);
        return;
      }
      case 'Lambda':
        return;
      default:
        for (const child of childNodes(node)) visit(child);
    }
  };
  for (const statement of statementsOf(module, 'body')) visit(statement);
  return names;
}
