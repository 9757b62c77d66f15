import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { deepCopy, identicalValue, unchangedModuleStatements, walk, type PyNode } from '../../src/python/tree.js';
import { treeParser } from './support/parsed-tree.js';

const python = sharedPythonRuntime();
after(() => python.close());
const parsed = treeParser(python);

test('a transformed copy of a module: the statements left as they were are found in the base, wherever they moved; changed or new ones are not', async () => {
  const base = await parsed('A = 1\nB = 2\n\ndef f(x):\n    return x + A\n\ndef g(y):\n    return y\n');
  const copy = deepCopy(base);
  const body = copy.body as PyNode[];
  for (const node of walk(body[3]!)) if (node._type === 'Name' && node.id === 'y') node.id = 'z';
  [body[2], body[3]] = [body[3]!, body[2]!];
  body.push({ _type: 'Pass', lineno: { $py: 'int', v: '1' }, col_offset: { $py: 'int', v: '0' } });
  assert.deepEqual(unchangedModuleStatements(copy, base), [0, 1, undefined, 2, undefined]);
});

test('identical means every field and every position: sameTree would call a moved statement the same, this does not', async () => {
  const a = await parsed('x = f(1)\n');
  const moved = await parsed('\nx = f(1)\n');
  assert.ok(identicalValue(a, deepCopy(a)));
  assert.ok(!identicalValue(a, moved), 'another line');
  const other = deepCopy(a);
  (((other.body as PyNode[])[0]!.value as PyNode).args as PyNode[])[0]!.value = { $py: 'int', v: '2' };
  assert.ok(!identicalValue(a, other), 'another value');
  const extra = deepCopy(a);
  (extra.body as PyNode[])[0]!.type_comment = 'int';
  assert.ok(!identicalValue(a, extra), 'another field');
});
