import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePython } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import type { PyNode } from '../../src/python/tree.js';
import { changedFunctions, functionUnits, introducedUndefinedNames } from '../../src/transfer/python-names.js';
import { PROPERTY_CLASS, PROPERTY_CLASS_PATCHED } from './property-class.js';

// The units of a student's file (its functions, and the code outside them) and what an edit to
// one of them introduces.

async function tree(source: string): Promise<PyNode> {
  const parsed = await parsePython(sharedPythonRuntime(), source);
  assert.ok(parsed.ok, source);
  return parsed.tree;
}

test('same-named definitions (a property getter and setter) are distinct units, paired one to one', async () => {
  const before = await tree(PROPERTY_CLASS);
  assert.deepEqual(functionUnits(before).map((u) => [u.qualifiedName, u.key]), [
    ['Opt.__init__', 'Opt.__init__'],
    ['Opt.lr', 'Opt.lr'],
    ['Opt.lr', 'Opt.lr#2'],
    ['Opt.step', 'Opt.step'],
  ]);
  assert.deepEqual(changedFunctions(before, await tree(PROPERTY_CLASS_PATCHED)), ['Opt.step']);
  assert.deepEqual(changedFunctions(before, await tree(PROPERTY_CLASS.replace('self._lr = value', 'self._lr = -value'))), ['Opt.lr#2']);
});

test('definitions under a module-level if/try/with are units; the code outside functions is the unit <module>', async () => {
  const source = `import sys
if sys.version_info >= (3, 8):
    def scale(v, k):
        return v * k
else:
    try:
        def scale(v, k):
            return k * v
    except ImportError:
        pass

if __name__ == "__main__":
    print(scale(2, 3) * 2)
`;
  const before = await tree(source);
  assert.deepEqual(functionUnits(before).map((u) => u.key), ['scale', 'scale#2']);
  assert.deepEqual(changedFunctions(before, await tree(source.replace('* 2)', '* 3)'))), ['<module>']);
  assert.deepEqual(changedFunctions(before, await tree(source.replace('return v * k', 'return v'))), ['scale']);
  assert.deepEqual(introducedUndefinedNames(await tree(source.replace('return v * k', 'return x * factor')), before), ['x', 'factor']);
  assert.deepEqual(introducedUndefinedNames(await tree(source.replace('print(scale(2, 3) * 2)', 'print(scale(2, 3) * factor)')), before), ['factor']);
});

test('a function sees its own imports and the names a nested function declares nonlocal', async () => {
  const imports = await tree('def scale(v, k):\n    import math\n    return v * k\n');
  assert.deepEqual(introducedUndefinedNames(await tree('def scale(v, k):\n    import math\n    return math.sqrt(v)\n'), imports), []);
  const nested = 'def scale(v, k):\n    total = 0\n\n    def add(x):\n        nonlocal total\n        total += x\n    add(v)\n    return v * k\n';
  assert.deepEqual(introducedUndefinedNames(await tree(nested.replace('return v * k', 'return total * k')), await tree(nested)), []);
  assert.deepEqual(introducedUndefinedNames(await tree(nested.replace('return v * k', 'return count * k')), await tree(nested)), ['count']);
});
