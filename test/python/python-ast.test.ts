import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { reparsePythonMany } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { fixMissingLocations, isNode, walk, type PyNode } from '../../src/python/tree.js';
import { treeParser } from './support/parsed-tree.js';

const python = sharedPythonRuntime();
after(() => python.close());
const parsed = treeParser(python);

function functionBody(tree: PyNode): PyNode[] {
  const fn = (tree.body as PyNode[])[0]!;
  return fn.body as PyNode[];
}

test('a reshaped tree is printed and parsed back: its positions become the ones CPython gives the printed file', async () => {
  const tree = await parsed('def f(a):\n    b = a + 1\n    return b\n');
  // A statement without any position (as a transformation makes it) and a renamed variable.
  const extra = (await parsed('c = 2\n')).body as PyNode[];
  for (const node of walk(extra[0]!)) for (const key of ['lineno', 'col_offset', 'end_lineno', 'end_col_offset']) delete node[key];
  functionBody(tree).unshift(extra[0]!);
  for (const node of walk(tree)) if (node._type === 'Name' && node.id === 'b') node.id = 'total';
  // ast.unparse reads a statement's lineno (type comments): placeholder positions, as transformations give.
  fixMissingLocations(tree);

  const [result] = await reparsePythonMany(python, [tree]);
  assert.ok(result?.ok);
  assert.equal(result.text, 'def f(a):\n    c = 2\n    total = a + 1\n    return total');
  assert.deepEqual(result.tree, await parsed(result.text), 'the tree with positions is the parse of its text');
  const returned = functionBody(result.tree)[2]!;
  assert.deepEqual([returned.lineno, returned.col_offset], [{ $py: 'int', v: '4' }, { $py: 'int', v: '4' }]);
});

test('when printing changes the shape, the parse of the printed text is returned', async () => {
  const tree = await parsed('x = 1\n');
  const assign = (tree.body as PyNode[])[0]!;
  // Constant(-1) prints as `-1`, which CPython parses as UnaryOp(USub, Constant(1)).
  (assign.value as PyNode).value = { $py: 'int', v: '-1' };
  const [result] = await reparsePythonMany(python, [tree]);
  assert.ok(result?.ok);
  assert.equal(result.text, 'x = -1');
  assert.equal((result.tree.body as PyNode[])[0]!.value && ((result.tree.body as PyNode[])[0]!.value as PyNode)._type, 'UnaryOp');
  assert.deepEqual(result.tree, await parsed('x = -1'));
});

test('a tree CPython cannot print is reported, not thrown, and the others in the batch still come back', async () => {
  const good = await parsed('y = 2\n');
  const bad = await parsed('z = 3\n');
  // A Name without its identifier: ast.unparse raises.
  delete ((bad.body as PyNode[])[0]!.targets as PyNode[])[0]!.id;
  const results = await reparsePythonMany(python, [bad, good]);
  assert.equal(results.length, 2);
  assert.equal(results[0]!.ok, false);
  assert.ok(!results[0]!.ok && results[0]!.error.length > 0);
  assert.ok(results[1]!.ok && isNode(results[1]!.tree) && results[1]!.text === 'y = 2');
});

test('with the base the trees were copied from, statements left as the base has them need not travel, and the answers are the same', async () => {
  const source = 'import os\nX = 1\n\n\ndef f(a):\n    return a + X\n\n\ndef g(b):\n    return b * 2\n';
  const base = await parsed(source);
  const transformed = () => {
    const tree = structuredClone(base);
    const body = tree.body as PyNode[];
    // One function changed, two statements moved, a new one without positions (as a transformation makes them).
    for (const node of walk(body[3]!)) if (node._type === 'Name' && node.id === 'b') node.id = 'renamed';
    body.reverse();
    body.splice(1, 0, { _type: 'Assign', targets: [{ _type: 'Name', id: 'Y', ctx: { _type: 'Store' } }], value: { _type: 'Constant', value: { $py: 'int', v: '3' }, kind: null }, type_comment: null });
    fixMissingLocations(tree);
    return tree;
  };
  const [withBase] = await reparsePythonMany(python, [transformed()], { source, tree: base });
  const [alone] = await reparsePythonMany(python, [transformed()]);
  assert.ok(withBase?.ok && alone?.ok);
  assert.equal(withBase.text, alone.text);
  assert.match(withBase.text, /return renamed \* 2[\s\S]*def f\(a\)/);
  assert.deepEqual(withBase.tree, alone.tree);
  assert.deepEqual(withBase.tree, await parsed(withBase.text), 'the tree with positions is the parse of its text');
  // A statement that only looks like the base's (same place, another value) is sent whole: the answer shows it.
  const changed = structuredClone(base);
  (((changed.body as PyNode[])[1]!.value as PyNode).value as { v: string }).v = '7';
  const [edited] = await reparsePythonMany(python, [changed], { source, tree: base });
  assert.ok(edited?.ok && /^X = 7$/m.test(edited.text), 'an edited module statement is not taken from the base');
});

test('a parsed tree holds one object per distinct int (positions, mostly), as JSON cannot say', async () => {
  const tree = await parsed('a = 1\nb = 1\nc = a + b\n');
  const ones = [...walk(tree)].flatMap((n) => [n.lineno, n.col_offset, n.end_lineno, n.end_col_offset, n._type === 'Constant' ? n.value : undefined]).filter((v) => v && typeof v === 'object' && (v as { v?: string }).v === '1');
  assert.ok(ones.length > 5);
  assert.ok(ones.every((v) => v === ones[0]), 'every 1 is the same object');
  assert.deepEqual((((tree.body as PyNode[])[1]!.value as PyNode).value), { $py: 'int', v: '1' });
});
