// Which names a Python module binds where: the functions a student writes, their parameters and
// local variables, the module's own names. Enough scope analysis to rename a student's variables
// consistently and to notice a name that a piece of code uses but nobody defines.
import { childNodes, getAttr, isNode, sameTree, walk, type PyNode, type PyValue } from '../python/tree.js';

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

/** A function a student writes: a `def` of the module or of a class in it, also under `if`/`try`/`with`. */
export interface FunctionUnit {
  /** `softmax`, `Linear.forward`, `Outer.Inner.method`. */
  qualifiedName: string;
  /**
   * Unique in the file: the qualified name, with `#2`, `#3`… for later definitions of the same
   * name (a property's setter, `@overload` stubs, a redefinition), so two versions of a file pair
   * their units one to one.
   */
  key: string;
  node: PyNode;
  /** The statement list holding the `def` (module or class body, or a block of an `if`/`try`/`with` there). */
  container: PyNode[];
  /** The enclosing class, for methods. */
  owner?: PyNode;
}

/** The key of the code outside every function unit: module-level statements and class bodies. */
export const MODULE_UNIT = '<module>';

export function isFunctionDef(node: PyNode): boolean {
  return node._type === 'FunctionDef' || node._type === 'AsyncFunctionDef';
}

/** The `def`s of the module and of its (nested) classes, also under `if`/`try`/`with` there, in file order. */
export function functionUnits(module: PyNode): FunctionUnit[] {
  const units: FunctionUnit[] = [];
  const seen = new Map<string, number>();
  const visitBody = (body: PyNode[], prefix: string, owner?: PyNode) => {
    for (const statement of body) {
      if (isFunctionDef(statement)) {
        const qualifiedName = `${prefix}${String(statement.name)}`;
        const ordinal = (seen.get(qualifiedName) ?? 0) + 1;
        seen.set(qualifiedName, ordinal);
        const key = ordinal === 1 ? qualifiedName : `${qualifiedName}#${ordinal}`;
        units.push({ qualifiedName, key, node: statement, container: body, ...(owner ? { owner } : {}) });
      } else if (statement._type === 'ClassDef') {
        visitBody(blockOf(statement), `${prefix}${String(statement.name)}.`, statement);
      } else {
        for (const block of sameScopeBlocks(statement)) visitBody(block, prefix, owner);
      }
    }
  };
  visitBody(blockOf(module), '');
  return units;
}

/** The statement lists of an `if`, `try` or `with`: what they define is defined in the enclosing scope. */
function sameScopeBlocks(statement: PyNode): PyNode[][] {
  switch (statement._type) {
    case 'If':
      return [blockOf(statement), blockOf(statement, 'orelse')];
    case 'Try':
    case 'TryStar':
      return [blockOf(statement), ...statementsOf(statement, 'handlers').map((h) => blockOf(h)), blockOf(statement, 'orelse'), blockOf(statement, 'finalbody')];
    case 'With':
    case 'AsyncWith':
      return [blockOf(statement)];
    default:
      return [];
  }
}

/** A statement list of the node (not a copy): statements inserted there end up in the tree. */
function blockOf(node: PyNode, field = 'body'): PyNode[] {
  const body = getAttr(node, field);
  return Array.isArray(body) ? (body as PyNode[]) : [];
}

/**
 * The function units of two versions of a file matched by key, in `after`'s order, then the ones
 * only `before` has: the one way two versions' functions are paired.
 */
export function matchUnits(before: PyNode, after: PyNode): Array<{ key: string; before?: FunctionUnit; after?: FunctionUnit }> {
  const old = new Map(functionUnits(before).map((u) => [u.key, u]));
  const matched: Array<{ key: string; before?: FunctionUnit; after?: FunctionUnit }> = functionUnits(after).map((unit) => {
    const previous = old.get(unit.key);
    old.delete(unit.key);
    return { key: unit.key, ...(previous ? { before: previous } : {}), after: unit };
  });
  for (const [key, unit] of old) matched.push({ key, before: unit });
  return matched;
}

/** The code outside every function unit, as the unit `<module>`: a copy of the module without the units' `def`s. */
function codeOutsideFunctions(module: PyNode): PyNode {
  return withoutNodes(module, new Set(functionUnits(module).map((u) => u.node))) as PyNode;
}

/** A copy of the tree without the given nodes (dropped from the lists holding them); what is inside them is not copied. */
function withoutNodes(value: PyValue, dropped: ReadonlySet<PyNode>): PyValue {
  if (Array.isArray(value)) return value.filter((item) => !(isNode(item) && dropped.has(item))).map((item) => withoutNodes(item, dropped));
  if (!isNode(value)) return value;
  const out: PyNode = { _type: value._type };
  for (const key in value) if (key !== '_type') out[key] = withoutNodes(value[key]!, dropped);
  return out;
}

/**
 * Keys of the units (`<module>` for the code outside functions) that differ between two versions
 * of a file, or that only one version has: in `after`'s order, then the ones `after` lost.
 */
export function changedFunctions(before: PyNode, after: PyNode): string[] {
  return changedScopes(before, after).map((c) => c.key);
}

function changedScopes(before: PyNode, after: PyNode): Array<{ key: string; before?: PyNode; after?: PyNode }> {
  const scopes = matchUnits(before, after).map(({ key, before: old, after: now }) => ({ key, ...(old ? { before: old.node } : {}), ...(now ? { after: now.node } : {}) }));
  scopes.push({ key: MODULE_UNIT, before: codeOutsideFunctions(before), after: codeOutsideFunctions(after) });
  return scopes.filter((scope) => !scope.before || !scope.after || !sameTree(scope.before, scope.after));
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

/** The names one node binds where it stands: a store, a parameter, a definition, a handler or pattern capture, an import. */
function namesBoundBy(node: PyNode): string[] {
  switch (node._type) {
    case 'Name': {
      const ctx = getAttr(node, 'ctx');
      return isNode(ctx) && ctx._type !== 'Load' && typeof node.id === 'string' ? [node.id] : [];
    }
    case 'arg':
      return typeof node.arg === 'string' ? [node.arg] : [];
    case 'FunctionDef':
    case 'AsyncFunctionDef':
    case 'ClassDef':
    case 'ExceptHandler':
    case 'MatchAs':
    case 'MatchStar':
      return typeof node.name === 'string' ? [node.name] : [];
    case 'MatchMapping':
      return typeof node.rest === 'string' ? [node.rest] : [];
    case 'Import':
    case 'ImportFrom':
      return statementsOf(node, 'names')
        .map((alias) => importedName(alias, node._type === 'Import'))
        .filter((name) => name !== '*');
    default:
      return [];
  }
}

/**
 * Names the author chose inside a function (its own parameters excluded): assignment, `for`,
 * `with`, comprehension, `except` and walrus targets, nested functions, classes and their
 * parameters. Names declared `global`/`nonlocal` and names imported inside are not locals.
 */
export function localNames(fn: PyNode): Set<string> {
  const bound = new Set<string>();
  const excluded = new Set<string>(parameterNames(fn));
  for (const node of walk(fn)) {
    if (node === fn) continue;
    if (node._type === 'Global' || node._type === 'Nonlocal') for (const name of stringList(getAttr(node, 'names'))) excluded.add(name);
    else if (node._type === 'Import' || node._type === 'ImportFrom') for (const name of namesBoundBy(node)) excluded.add(name);
    else for (const name of namesBoundBy(node)) bound.add(name);
  }
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
 * Every name a function (or the `<module>` code) binds anywhere inside it, with its parameters:
 * what its code can see besides the module's names. Unlike localNames, nothing is left out
 * (imports inside it, names declared `global`/`nonlocal`, names of nested scopes): it answers
 * "might this name be defined here", where a wrong "no" is a false alarm.
 */
export function visibleNames(fn: PyNode): Set<string> {
  const names = new Set<string>();
  for (const node of walk(fn)) if (node !== fn) for (const name of namesBoundBy(node)) names.add(name);
  return names;
}

/**
 * Names a unit of `result` (a function, or the code outside functions) that differs from its
 * version in `original` reads but cannot see (bound nowhere in it, not the module's, not a
 * builtin), leaving out names its original version already read that way (set elsewhere at run
 * time, or by a star import): what an injected edit introduced, e.g. a literal written with
 * another function's variable names.
 */
export function introducedUndefinedNames(result: PyNode, original: PyNode): string[] {
  if (hasStarImport(result)) return [];
  const shared = new Set([...moduleLevelNames(result), ...declaredGlobal(result)]);
  const definitions = functionUnits(result).map((u) => String(u.node.name));
  const unseen = (key: string, scope: PyNode) => {
    const visible = visibleNames(scope);
    // The module's code (class bodies included) sees the functions and methods defined there.
    if (key === MODULE_UNIT) for (const name of definitions) visible.add(name);
    return loadedNames(scope).filter((name) => !visible.has(name) && !shared.has(name));
  };
  const introduced = new Set<string>();
  for (const { key, before, after } of changedScopes(original, result)) {
    if (!after) continue;
    const already = new Set(before ? unseen(key, before) : []);
    for (const name of unseen(key, after)) if (!already.has(name)) introduced.add(name);
  }
  return [...introduced];
}

/** Names some function declares `global`: it may bind them at module level when it runs. */
function declaredGlobal(tree: PyNode): string[] {
  return [...walk(tree)].filter((n) => n._type === 'Global').flatMap((n) => stringList(getAttr(n, 'names')));
}

function hasStarImport(tree: PyNode): boolean {
  for (const node of walk(tree)) {
    if (node._type === 'ImportFrom' && statementsOf(node, 'names').some((a) => getAttr(a, 'name') === '*')) return true;
  }
  return false;
}

/** Names bound at module level (imports, definitions, assignments) plus builtins: code everywhere in the file may share them. */
export function moduleLevelNames(module: PyNode): Set<string> {
  return new Set([...BUILTIN_NAMES, ...moduleBoundNames(module)]);
}

/** Names the module's own top-level code binds: imports, definitions, assignments (not what is inside a definition). */
export function moduleBoundNames(module: PyNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: PyNode) => {
    for (const name of namesBoundBy(node)) names.add(name);
    // A definition binds its name here; what is inside it belongs to its own scope.
    if (['FunctionDef', 'AsyncFunctionDef', 'ClassDef', 'Lambda', 'Import', 'ImportFrom'].includes(node._type)) return;
    for (const child of childNodes(node)) visit(child);
  };
  for (const statement of statementsOf(module, 'body')) visit(statement);
  return names;
}

/** Parameter names so conventional that a student's code uses them too: never reference-bound. */
const CONVENTIONAL_PARAMETERS: ReadonlySet<string> = new Set(['self', 'cls']);

/**
 * Names a literal replacement text (v2.1 has no templating) reads that only the reference's own
 * naming makes right: a parameter or local of `scope`, the function(s) around the edit (whatever
 * the module binds under the same name: inside the function, the local is meant), or a name
 * neither the module nor the builtins define. `self`/`cls` and names the literal binds itself
 * (comprehension targets, lambda parameters) are not.
 */
export function referenceBoundLiteralNames(literal: PyNode, module: PyNode, scope: readonly PyNode[]): string[] {
  const own = new Set([...walk(literal)].flatMap(namesBoundBy));
  const functionNames = new Set(scope.flatMap((fn) => [...parameterNames(fn), ...localNames(fn)]));
  const shared = moduleLevelNames(module);
  return loadedNames(literal).filter((name) => !own.has(name) && !CONVENTIONAL_PARAMETERS.has(name) && (functionNames.has(name) || !shared.has(name)));
}
