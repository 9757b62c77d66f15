import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pattern } from '../../../src/injector/definition.js';
import { getAttr, type PyNode } from '../../../src/python/tree.js';
import { lineOf } from '../../../plugins/synth/ast-kinds.js';
import { enclosingParameters, nameTiers, withParameters } from '../../../plugins/synth/name-tiers.js';
import { anchorIds, findPattern, type PatternSearch } from '../../../plugins/synth/pattern-builder.js';
import { topDownMatches } from '../../../plugins/synth/top-down-matches.js';
import { findNode, nthNode, parseModule } from './synth-fixture.js';

function search(root: PyNode, targets: PyNode[], sourcePath?: string): PatternSearch {
  const names = nameTiers(root);
  return findPattern({
    root,
    targets,
    anchors: anchorIds(targets[0]!, names, sourcePath),
    names: withParameters(names, enclosingParameters(root, targets[0]!)),
    maxDepth: 8,
  });
}

function found(result: PatternSearch): Pattern {
  assert.ok(result.found, 'expected an exact pattern');
  return result.pattern;
}

/** Every `id` a pattern constrains (Name ids). */
function namesIn(pattern: unknown): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(namesIn);
  if (typeof pattern !== 'object' || pattern === null) return [];
  return Object.entries(pattern).flatMap(([key, value]) => (key === 'id' ? [String(value)] : namesIn(value)));
}

const TWO_MEANS = `import torch

def rms(x):
    return torch.sqrt(torch.mean(x ** 2, dim=-1, keepdim=True))

def stats(x):
    mean = torch.mean(x, dim=-1, keepdim=True)
    var = torch.mean((x - mean) ** 2, dim=-1, keepdim=True)
    return mean, var
`;

test('a call is told from same-named calls elsewhere in the file by structure, not by local names', async () => {
  const tree = await parseModule(TWO_MEANS);
  const target = findNode(tree, (n) => n._type === 'Call' && getAttr(getAttr(n, 'func'), 'attr') === 'mean' && lineOf(n) === 4);
  const pattern = found(search(tree, [target]));
  assert.deepEqual(topDownMatches(tree, pattern), [target]);
  assert.deepEqual(namesIn(pattern), ['torch'], 'only the library name, no local variable');
  assert.deepEqual(pattern, {
    node_type: 'Call',
    func: { node_type: 'Attribute', value: { node_type: 'Name', id: 'torch' }, attr: 'mean' },
    args: [{ node_type: 'BinOp', left: { node_type: 'Name' } }],
  });
});

test('when structure is not unique, a local name disambiguates', async () => {
  const tree = await parseModule('def f(x):\n    u = g(x)\n    v = h(x)\n    a = u * x\n    b = v * x\n    return a + b\n');
  const target = findNode(tree, (n) => n._type === 'BinOp' && getAttr(getAttr(n, 'left'), 'id') === 'v');
  const pattern = found(search(tree, [target], 'node.right'));
  assert.deepEqual(topDownMatches(tree, pattern), [target]);
  assert.deepEqual(namesIn(pattern), ['v']);
});

test('a parameter name of the enclosing function is preferred to a local name', async () => {
  const tree = await parseModule('def attend(Q, x):\n    d_k = Q.shape[-1]\n    d = x.shape[-1]\n    return d_k + d\n');
  const target = nthNode(tree, 'Assign', 0);
  const pattern = found(search(tree, [target]));
  assert.deepEqual(topDownMatches(tree, pattern), [target]);
  assert.deepEqual(namesIn(pattern), ['Q'], 'the parameter Q, not the assigned local d_k');
});

test('a pattern keeps the shallow shape of its target, not just what makes it unique', async () => {
  const tree = await parseModule('def f(b, s):\n    c1 = 1 - b ** s\n    return c1\n');
  const pattern = found(search(tree, [nthNode(tree, 'Assign', 0)]));
  assert.deepEqual(pattern, {
    node_type: 'Assign',
    value: { node_type: 'BinOp', left: { node_type: 'Constant', value: 1 }, op: 'Sub', right: { node_type: 'BinOp', op: 'Pow' } },
  });
});

test('matching is top-down: an outer match hides inner ones, an inner target must not match its ancestor', async () => {
  const tree = await parseModule('def f(a, b, c):\n    return (a * b) * c\n');
  const outer = nthNode(tree, 'BinOp', 0);
  const inner = nthNode(tree, 'BinOp', 1);
  const outerPattern = found(search(tree, [outer]));
  // The inner `a * b` matches this pattern too, but the pass never visits it: it is inside the match.
  assert.deepEqual(outerPattern, {
    node_type: 'BinOp',
    left: { node_type: 'BinOp', left: { node_type: 'Name' }, op: 'Mult', right: { node_type: 'Name' } },
    op: 'Mult',
    right: { node_type: 'Name' },
  });
  assert.equal(topDownMatches(tree, { node_type: 'BinOp', op: 'Mult' }).length, 1);
  assert.deepEqual(topDownMatches(tree, outerPattern), [outer]);
  const innerPattern = found(search(tree, [inner]));
  assert.deepEqual(topDownMatches(tree, innerPattern), [inner]);
});

test('several targets with a common structure share one pattern', async () => {
  const tree = await parseModule(
    'def step(b1, b2, s, lr):\n    c1 = 1 - b1 ** s["step"]\n    c2 = 1 - b2 ** s["step"]\n    size = lr / c1\n    return size - c2\n',
  );
  const targets = [nthNode(tree, 'Assign', 0), nthNode(tree, 'Assign', 1)];
  const pattern = found(search(tree, targets));
  assert.deepEqual(topDownMatches(tree, pattern), targets);
  assert.deepEqual(namesIn(pattern), []);
});

test('identical code in two places has no exact pattern, and the search says how many it matched', async () => {
  const tree = await parseModule('def f(o):\n    o.zero_grad()\n\ndef g(o):\n    o.zero_grad()\n');
  const result = search(tree, [nthNode(tree, 'Expr', 0)]);
  assert.deepEqual(result, { found: false, fewestMatches: 2 });
});

test('a pattern made only of author names is flagged as not structural', async () => {
  const tree = await parseModule('def f(a, b):\n    return g(a, b)\n\ndef g(a, b=1):\n    return a\n');
  const target = findNode(tree, (n) => n._type === 'Name' && n.id === 'b');
  const result = search(tree, [target]);
  assert.ok(result.found);
  assert.equal(result.structural, false);
  assert.deepEqual(result.pattern, { node_type: 'Name', id: 'b' });
});
