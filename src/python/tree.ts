// The JSON form of a CPython `ast` tree that bridge.py produces, and the Python semantics
// (attribute look-up with class defaults, equality, ast.walk order) the injector relies on.
import { readFileSync } from 'node:fs';
import { packageFile } from '../package-root.js';

export type PyScalar =
  | { $py: 'int'; v: string }
  | { $py: 'float'; v: string }
  | { $py: 'complex'; v: string }
  | { $py: 'bytes'; v: string }
  | { $py: 'ellipsis' }
  | { $py: 'repr'; v: string };

export interface PyNode {
  _type: string;
  [field: string]: PyValue;
}

export type PyValue = PyNode | PyValue[] | PyScalar | string | boolean | null;

interface AstClassInfo {
  fields: string[];
  attributes: string[];
  optional: string[];
}

const classes = JSON.parse(readFileSync(packageFile('src', 'python', 'ast-classes.json'), 'utf8')) as Record<string, AstClassInfo>;

export function isNode(value: unknown): value is PyNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as PyNode)._type === 'string';
}

const STATEMENTS = new Set([
  'FunctionDef', 'AsyncFunctionDef', 'ClassDef', 'Return', 'Delete', 'Assign', 'AugAssign', 'AnnAssign',
  'For', 'AsyncFor', 'While', 'If', 'With', 'AsyncWith', 'Match', 'Raise', 'Try', 'TryStar', 'Assert',
  'Import', 'ImportFrom', 'Global', 'Nonlocal', 'Expr', 'Pass', 'Break', 'Continue',
]);

/** An `ast.stmt` node. */
export function isStatement(node: PyNode): boolean {
  return STATEMENTS.has(node._type);
}

export function isScalar(value: unknown): value is PyScalar {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$py' in value;
}

export function fieldsOf(node: PyNode): readonly string[] {
  return classes[node._type]?.fields ?? [];
}

export function attributesOf(node: PyNode): readonly string[] {
  return classes[node._type]?.attributes ?? [];
}

/** Python's hasattr on an AST node: instance attributes, plus optional fields that default to None on the class. */
export function hasAttr(value: PyValue | undefined, name: string): boolean {
  if (!isNode(value)) return false;
  if (name === '_type') return false;
  return Object.prototype.hasOwnProperty.call(value, name) || (classes[value._type]?.optional.includes(name) ?? false);
}

/** getattr(value, name, None) */
export function getAttr(value: PyValue | undefined, name: string): PyValue | undefined {
  if (!isNode(value) || name === '_type') return undefined;
  if (Object.prototype.hasOwnProperty.call(value, name)) return value[name];
  return classes[value._type]?.optional.includes(name) ? null : undefined;
}

/** type(value).__name__ as Python would report it. */
export function pyTypeName(value: PyValue | undefined): string {
  if (value === undefined || value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (isNode(value)) return value._type;
  switch (value.$py) {
    case 'ellipsis':
      return 'ellipsis';
    case 'repr':
      return 'object';
    default:
      return value.$py;
  }
}

type Numeric = { re: number; im: number; big?: bigint };

function toNumeric(value: unknown): Numeric | undefined {
  if (typeof value === 'boolean') return { re: value ? 1 : 0, im: 0, big: value ? 1n : 0n };
  if (typeof value === 'number') return { re: value, im: 0, big: Number.isInteger(value) ? BigInt(value) : undefined };
  if (isScalar(value)) {
    if (value.$py === 'int') return { re: Number(value.v), im: 0, big: BigInt(value.v) };
    if (value.$py === 'float') return { re: Number(value.v), im: 0 };
    if (value.$py === 'complex') return parseComplex(value.v);
  }
  return undefined;
}

function parseComplex(text: string): Numeric {
  const t = text.replace(/^\(|\)$/g, '');
  const m = /^([+-]?[^+-]*(?:e[+-]\d+)?)?([+-][^j]*)?j$/.exec(t) ?? /^()(.*)j$/.exec(t);
  if (!m) return { re: Number.NaN, im: Number.NaN };
  const re = m[2] === undefined ? 0 : Number(m[1] || 0);
  const im = m[2] === undefined ? Number(m[1]) : Number(m[2]);
  return { re, im };
}

/** Python `a == b` for the values a pattern, a context or a tree can hold (nodes compare by identity). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  const na = toNumeric(a);
  const nb = toNumeric(b);
  if (na || nb) {
    if (!na || !nb) return false;
    if (na.big !== undefined && nb.big !== undefined) return na.big === nb.big && na.im === nb.im;
    return na.re === nb.re && na.im === nb.im;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => pyEquals(item, b[i]));
  }
  if (isScalar(a) && isScalar(b)) return a.$py === b.$py && (a as { v?: string }).v === (b as { v?: string }).v;
  if (isNode(a) || isNode(b)) return a === b;
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** The AST children of a node, in `ast.iter_child_nodes` order. */
export function childNodes(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const field of fieldsOf(node)) {
    if (!Object.prototype.hasOwnProperty.call(node, field)) continue;
    const value = node[field];
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) for (const item of value) if (isNode(item)) out.push(item);
  }
  return out;
}

/** `ast.walk`: breadth-first, the node itself first. */
export function* walk(root: PyNode): Generator<PyNode> {
  const queue: PyNode[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    queue.push(...childNodes(node));
    yield node;
  }
}

/**
 * copy.deepcopy of a tree: every node and list is new. Scalars (`{$py: …}`) are immutable and
 * stay shared; trees hold no node twice, so no memo is needed (a hand-written copy is several
 * times faster than structuredClone, and the injector copies the tree after every pass).
 */
export function deepCopy<T extends PyValue>(value: T): T {
  return copyValue(value) as T;
}

function copyValue(value: PyValue): PyValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyValue);
  if ('$py' in value) return value;
  const out: PyNode = { _type: value._type };
  for (const key in value) if (key !== '_type') out[key] = copyValue(value[key]!);
  return out;
}

const POSITION_ATTRIBUTES = new Set(['lineno', 'col_offset', 'end_lineno', 'end_col_offset']);

/** `ast.dump(a) == ast.dump(b)`: fields compared, position attributes ignored, missing optional fields are None. */
export function sameTree(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (isNode(a) || isNode(b)) {
    if (!isNode(a) || !isNode(b) || a._type !== b._type) return false;
    for (const field of fieldsOf(a)) {
      if (POSITION_ATTRIBUTES.has(field)) continue;
      if (hasAttr(a, field) !== hasAttr(b, field)) return false;
      if (!sameTree(getAttr(a, field), getAttr(b, field))) return false;
    }
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameTree(item, b[i]));
  }
  if (isScalar(a) || isScalar(b)) {
    if (!isScalar(a) || !isScalar(b)) return false;
    return a.$py === b.$py && (a as { v?: string }).v === (b as { v?: string }).v;
  }
  return (a ?? null) === (b ?? null);
}

/** Every key and value the same, positions included (sameTree ignores positions): copies that nothing changed. */
export function identicalValue(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!identicalValue(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!identicalValue((a as Record<string, PyValue>)[key], (b as Record<string, PyValue>)[key])) return false;
  }
  return true;
}

/**
 * For each statement of a module copied from `base` (and then transformed), the index of the
 * base's module statement it is still identical to, if any: what the transformation left alone.
 */
export function unchangedModuleStatements(tree: PyNode, base: PyNode): Array<number | undefined> {
  const body = Array.isArray(tree.body) ? tree.body : [];
  const baseBody = base.body;
  if (tree._type !== 'Module' || base._type !== 'Module' || !Array.isArray(baseBody)) return body.map(() => undefined);
  // A statement of the base is found by where it starts: no two module statements start at the same place.
  const startOf = (statement: PyNode) => `${statement._type}:${positionText(statement.lineno)}:${positionText(statement.col_offset)}`;
  const byStart = new Map<string, number>();
  baseBody.forEach((statement, i) => isNode(statement) && byStart.set(startOf(statement), i));
  return body.map((statement) => {
    if (!isNode(statement)) return undefined;
    const index = byStart.get(startOf(statement));
    return index !== undefined && identicalValue(statement, baseBody[index]) ? index : undefined;
  });
}

function positionText(value: PyValue | undefined): string {
  return isScalar(value) && 'v' in value ? value.v : String(value);
}

/** `ast.fix_missing_locations`: nodes without a position take their parent's (the module's is 1:0). */
export function fixMissingLocations(root: PyValue | undefined): void {
  const one: PyScalar = { $py: 'int', v: '1' };
  const zero: PyScalar = { $py: 'int', v: '0' };
  const fix = (node: PyNode, lineno: PyValue, col: PyValue, endLineno: PyValue, endCol: PyValue): void => {
    const attributes = attributesOf(node);
    const has = (name: string) => Object.prototype.hasOwnProperty.call(node, name);
    if (attributes.includes('lineno')) {
      if (!has('lineno')) node.lineno = lineno;
      else lineno = node.lineno!;
    }
    if (attributes.includes('end_lineno')) {
      if (!has('end_lineno') || node.end_lineno === null) node.end_lineno = endLineno;
      else endLineno = node.end_lineno!;
    }
    if (attributes.includes('col_offset')) {
      if (!has('col_offset')) node.col_offset = col;
      else col = node.col_offset!;
    }
    if (attributes.includes('end_col_offset')) {
      if (!has('end_col_offset') || node.end_col_offset === null) node.end_col_offset = endCol;
      else endCol = node.end_col_offset!;
    }
    for (const child of childNodes(node)) fix(child, lineno, col, endLineno, endCol);
  };
  if (isNode(root)) fix(root, one, zero, one, zero);
}

/** A `def`, class, loop, `if`, `with`… whose body lost its last statement: `ast.unparse` prints it, but it is not valid Python. */
export function hasEmptyBlock(tree: PyNode): boolean {
  for (const node of walk(tree)) {
    const body = getAttr(node, 'body');
    if (node._type !== 'Module' && Array.isArray(body) && body.length === 0) return true;
  }
  return false;
}
