import { InputError } from '../errors.js';
import type { ReferenceLayout, ReferenceScope } from '../patch/reanchor-patch.js';
import { parsePython } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { walk, type PyNode } from '../python/tree.js';
import { localNames, moduleLevelNames, parameterNames } from '../transfer/python-names.js';

/** The reference's `def`s and `class`es with their line ranges and the names each function binds, and the module's own names (CPython `ast`). */
export async function referenceLayout(python: PythonRuntime, reference: string, file: string): Promise<ReferenceLayout> {
  const parsed = await parsePython(python, reference);
  if (!parsed.ok) throw new InputError('python-syntax', file, `Python syntax error in the reference file: ${parsed.error.message} (line ${parsed.error.line})`, parsed.error.line ?? undefined);
  const scopes: ReferenceScope[] = [];
  for (const node of walk(parsed.tree)) {
    const isFunction = node._type === 'FunctionDef' || node._type === 'AsyncFunctionDef';
    if (!isFunction && node._type !== 'ClassDef') continue;
    scopes.push({
      name: String(node.name),
      start: lineOf(node, 'lineno'),
      end: lineOf(node, 'end_lineno'),
      ...(isFunction ? { names: new Set([...parameterNames(node), ...localNames(node)]) } : {}),
    });
  }
  return { scopes: scopes.sort((a, b) => a.start - b.start), shared: moduleLevelNames(parsed.tree) };
}

function lineOf(node: PyNode, field: 'lineno' | 'end_lineno'): number {
  return Number((node[field] as { v: string }).v);
}
