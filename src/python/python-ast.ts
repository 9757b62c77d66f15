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
  return JSON.parse(await bridge.parseSource(source, options.dedent ?? false)) as ParseResult;
}

/** Parses several files in one round trip. */
export async function parsePythonMany(python: PythonRuntime, sources: string[]): Promise<ParseResult[]> {
  const bridge = await python.bridge();
  return JSON.parse(await bridge.parseMany(JSON.stringify(sources))) as ParseResult[];
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

/**
 * Prints each tree with CPython's `ast.unparse` and parses the text back: the tree as CPython
 * would parse the printed file, positions included. The trees are updated in place (only their
 * positions change, unless printing changed their shape). With `base`, the module statements a
 * tree still holds exactly as the base has them are sent as their index in the base (the worker
 * parses the base's source once), so a transformed copy of a large module costs what it changed.
 */
export async function reparsePythonMany(python: PythonRuntime, trees: PyNode[], base?: ReparseBase): Promise<ReparseResult[]> {
  if (trees.length === 0) return [];
  const bridge = await python.bridge();
  const sent = base ? JSON.stringify(trees.map((tree) => withBaseStatements(tree, base.tree))) : JSON.stringify(trees);
  const answers = JSON.parse(await bridge.reparseMany(sent, base?.source ?? '')) as Array<
    { ok: true; text: string; positions?: Array<number | null>; tree?: PyNode } | { ok: false; error: string }
  >;
  return Promise.all(
    answers.map(async (answer, i): Promise<ReparseResult> => {
      if (!answer.ok) return answer;
      if (answer.tree) return { ok: true, text: answer.text, tree: answer.tree };
      if (assignPositions(trees[i]!, answer.positions ?? [])) return { ok: true, text: answer.text, tree: trees[i]! };
      // Field lists differ between this Python and ours: take the whole parsed tree instead.
      const [parsed] = await parsePythonMany(python, [answer.text]);
      return parsed!.ok ? { ok: true, text: answer.text, tree: parsed!.tree } : { ok: false, error: parsed!.error.message };
    }),
  );
}

/** The tree with each module statement identical to one of the base's (every field and position) replaced by `{$base: index}`. */
function withBaseStatements(tree: PyNode, base: PyNode): PyNode {
  const unchanged = unchangedModuleStatements(tree, base);
  if (!unchanged.some((index) => index !== undefined)) return tree;
  return { ...tree, body: (tree.body as PyValue[]).map((statement, i) => (unchanged[i] === undefined ? statement : ({ $base: unchanged[i] } as unknown as PyValue))) };
}

/**
 * Writes positions into a tree of the same shape: four per positioned node (lineno, col_offset,
 * end_lineno, end_col_offset), depth-first in field order (bridge.py `_positions_if_same`);
 * false if the counts differ.
 */
function assignPositions(tree: PyNode, positions: ReadonlyArray<number | null>): boolean {
  // Scalars are never changed in place: one object per distinct number (a large module has few, and hundreds of thousands of positions).
  const scalars = new Map<number, PyScalar>();
  const toScalar = (value: number | null | undefined): PyValue => {
    if (typeof value !== 'number') return null;
    let scalar = scalars.get(value);
    if (!scalar) scalars.set(value, (scalar = { $py: 'int', v: String(value) }));
    return scalar;
  };
  let next = 0;
  const visit = (value: PyValue | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    if (attributesOf(value).includes('lineno')) {
      value.lineno = toScalar(positions[next]);
      value.col_offset = toScalar(positions[next + 1]);
      value.end_lineno = toScalar(positions[next + 2]);
      value.end_col_offset = toScalar(positions[next + 3]);
      next += 4;
    }
    for (const field of fieldsOf(value)) visit(value[field]);
  };
  visit(tree);
  return next === positions.length;
}
