import type { PythonRuntime } from './runtime.js';
import type { PyNode, PyValue } from './tree.js';

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
