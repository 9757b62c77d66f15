// CPython's parse of a test's source, failing the test when it does not parse.
import assert from 'node:assert/strict';
import { parsePython } from '../../../src/python/python-ast.js';
import type { PythonRuntime } from '../../../src/python/runtime.js';
import type { PyNode } from '../../../src/python/tree.js';

export function treeParser(python: PythonRuntime): (source: string) => Promise<PyNode> {
  return async (source) => {
    const result = await parsePython(python, source);
    assert.ok(result.ok, source);
    return result.tree;
  };
}
