import type { PythonRuntime } from './runtime.js';
import { attributesOf, fieldsOf, isNode, unchangedModuleStatements, type PyNode, type PyScalar, type PyValue } from './tree.js';

export interface PythonSyntaxError {
  type: string;
  message: string;
  line: number | null;
  column: number | null;
}

export type ParseResult =
  | { ok: true; text: string; tree: PyNode }
  | { ok: false; text: string; error: PythonSyntaxError };

export type UnparseResult = { ok: true; text: string } | { ok: false; error: string };

/** CPython `ast.parse` (after `textwrap.dedent` when asked), positions included. */
export async function parsePython(python: PythonRuntime, source: string, options: { dedent?: boolean } = {}): Promise<ParseResult> {
  const bridge = await python.bridge();
  return withSharedInts(JSON.parse(await bridge.parseSource(source, options.dedent ?? false)) as ParseResult);
}

/** Parses several files in one round trip. */
export async function parsePythonMany(python: PythonRuntime, sources: string[]): Promise<ParseResult[]> {
  const bridge = await python.bridge();
  return (JSON.parse(await bridge.parseMany(JSON.stringify(sources))) as ParseResult[]).map(withSharedInts);
}

/**
 * JSON gives each `{$py: 'int'}` of a tree its own object. Scalars are never changed in place
 * (copies share them already), so one object per distinct int serves the whole tree: a large
 * module's positions, four per node, are half the memory of its tree.
 */
function withSharedInts(result: ParseResult): ParseResult {
  if (!result.ok) return result;
  const ints = new Map<string, PyScalar>();
  const shared = (value: PyValue): PyValue => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = shared(value[i]!);
      return value;
    }
    if ('$py' in value) {
      const scalar = value as PyScalar;
      if (scalar.$py !== 'int') return scalar;
      const known = ints.get(scalar.v);
      if (known) return known;
      ints.set(scalar.v, scalar);
      return scalar;
    }
    for (const key in value) if (key !== '_type') value[key] = shared(value[key]!);
    return value;
  };
  shared(result.tree);
  return result;
}

/** `ast.parse(text, mode="eval").body` for each text; null where it does not parse. */
export async function parseExpressions(python: PythonRuntime, sources: string[]): Promise<(PyNode | null)[]> {
  if (sources.length === 0) return [];
  const bridge = await python.bridge();
  return JSON.parse(await bridge.parseExpressions(JSON.stringify(sources))) as (PyNode | null)[];
}

/** CPython `ast.unparse`; any exception it raises is reported, not thrown. */
export async function unparsePython(python: PythonRuntime, tree: PyValue): Promise<UnparseResult> {
  const bridge = await python.bridge();
  return JSON.parse(await bridge.unparseTree(JSON.stringify(tree))) as UnparseResult;
}

/** `unparsePython` for several trees in one round trip. */
export async function unparsePythonMany(python: PythonRuntime, trees: PyValue[]): Promise<UnparseResult[]> {
  if (trees.length === 0) return [];
  const bridge = await python.bridge();
  return JSON.parse(await bridge.unparseMany(JSON.stringify(trees))) as UnparseResult[];
}

export type ReparseResult = { ok: true; text: string; tree: PyNode } | { ok: false; error: string };

/** The module the trees were copied from: its source, and its tree as parsed from that source. */
export interface ReparseBase {
  source: string;
  tree: PyNode;
}

/** CPython's print and parse of a tree: the text, and the positions to write into the tree (`withPositions`), or the parsed tree when printing changed its shape. */
export type Reprint = { ok: true; text: string; positions: ReadonlyArray<number | null> } | { ok: true; text: string; tree: PyNode } | { ok: false; error: string };

/**
 * Prints each tree with CPython's `ast.unparse` and parses the text back: the tree as CPython
 * would parse the printed file, positions included. The trees are updated in place (only their
 * positions change, unless printing changed their shape).
 */
export async function reparsePythonMany(python: PythonRuntime, trees: PyNode[], base?: ReparseBase): Promise<ReparseResult[]> {
  const reprinted = await reprintMany(python, trees.length, (i) => trees[i]!, base);
  return Promise.all(reprinted.map((answer, i) => reparsedTree(python, answer, trees[i]!)));
}

/**
 * The round trip of `reparsePythonMany` without keeping the trees: `tree(i)` is asked for each
 * tree once, which is sent and dropped. With `base`, the module statements a tree still holds
 * exactly as the base has them are sent as their index in the base (the worker parses the base's
 * source once), so a transformed copy of a large module costs what it changed.
 */
export async function reprintMany(python: PythonRuntime, count: number, tree: (i: number) => PyNode, base?: ReparseBase): Promise<Reprint[]> {
  if (count === 0) return [];
  const bridge = await python.bridge();
  const sent: string[] = [];
  for (let i = 0; i < count; i++) sent.push(JSON.stringify(base ? withBaseStatements(tree(i), base.tree) : tree(i)));
  const answers = JSON.parse(await bridge.reparseMany(`[${sent.join(',')}]`, base?.source ?? '')) as Array<
    { ok: true; text: string; positions?: Array<number | null>; tree?: PyNode } | { ok: false; error: string }
  >;
  return answers.map((answer) => (!answer.ok ? answer : answer.tree ? { ok: true, text: answer.text, tree: answer.tree } : { ok: true, text: answer.text, positions: answer.positions ?? [] }));
}

/** The tree a reprint describes: `tree` with the reprint's positions written in, else the parsed one. */
export async function reparsedTree(python: PythonRuntime, answer: Reprint, tree: PyNode): Promise<ReparseResult> {
  if (!answer.ok) return answer;
  if ('tree' in answer) return { ok: true, text: answer.text, tree: answer.tree };
  if (withPositions(tree, answer.positions)) return { ok: true, text: answer.text, tree };
  // Field lists differ between this Python and ours: take the whole parsed tree instead.
  const [parsed] = await parsePythonMany(python, [answer.text]);
  return parsed!.ok ? { ok: true, text: answer.text, tree: parsed!.tree } : { ok: false, error: parsed!.error.message };
}

/** The tree with each module statement identical to one of the base's (every field and position) replaced by `{$base: index}`. */
function withBaseStatements(tree: PyNode, base: PyNode): PyNode {
  const unchanged = unchangedModuleStatements(tree, base);
  if (!unchanged.some((index) => index !== undefined)) return tree;
  return { ...tree, body: (tree.body as PyValue[]).map((statement, i) => (unchanged[i] === undefined ? statement : ({ $base: unchanged[i] } as unknown as PyValue))) };
}

/**
 * Writes positions into a tree of the same shape: four per positioned node (lineno, col_offset,
 * end_lineno, end_col_offset), in the order of `positionedNodes`; false (the tree left as it
 * was) if the counts differ.
 */
export function withPositions(tree: PyNode, positions: ReadonlyArray<number | null>): boolean {
  const nodes = positionedNodes(tree);
  if (nodes.length * 4 !== positions.length) return false;
  // Scalars are never changed in place: one object per distinct number (a large module has few, and hundreds of thousands of positions).
  const scalars = new Map<number, PyScalar>();
  const toScalar = (value: number | null | undefined): PyValue => {
    if (typeof value !== 'number') return null;
    let scalar = scalars.get(value);
    if (!scalar) scalars.set(value, (scalar = { $py: 'int', v: String(value) }));
    return scalar;
  };
  // In the order fixMissingLocations adds them to a node without any: a tree gets the same keys either way.
  nodes.forEach((node, i) => {
    node.lineno = toScalar(positions[4 * i]);
    node.end_lineno = toScalar(positions[4 * i + 2]);
    node.col_offset = toScalar(positions[4 * i + 1]);
    node.end_col_offset = toScalar(positions[4 * i + 3]);
  });
  return true;
}

/** The nodes that have positions, depth-first in field order (the order of bridge.py `_positions_if_same`). */
export function positionedNodes(tree: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const visit = (value: PyValue | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    if (attributesOf(value).includes('lineno')) out.push(value);
    for (const field of fieldsOf(value)) visit(value[field]);
  };
  visit(tree);
  return out;
}
