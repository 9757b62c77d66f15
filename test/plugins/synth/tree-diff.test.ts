import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAttr, isNode, type PyNode } from '../../../src/python/tree.js';
import { diffTrees, type Change } from '../../../plugins/synth/tree-diff.js';
import { parseModule } from './synth-fixture.js';

async function diff(reference: string, patched: string): Promise<Change[]> {
  return diffTrees(await parseModule(reference), await parseModule(patched));
}

const summary = (change: Change) => {
  const node = change.kind === 'modified' ? change.before : change.node;
  return `${change.kind}:${node._type}`;
};

test('a deleted statement is one removal from its block', async () => {
  const changes = await diff(
    'def f(x):\n    a = g(x)\n    b = h(x)\n    return b\n',
    'def f(x):\n    b = h(x)\n    return b\n',
  );
  assert.deepEqual(changes.map(summary), ['removed:Assign']);
  const [removed] = changes as [Extract<Change, { kind: 'removed' }>];
  assert.equal((getAttr(removed.node, 'targets') as PyNode[])[0]!.id, 'a');
  assert.equal(removed.trail.at(-1)!.field, 'body');
  assert.equal(removed.trail.at(-1)!.before._type, 'FunctionDef');
});

test('a dropped keyword is a removal from the call, found by name', async () => {
  const changes = await diff(
    'import torch\ndef f(x):\n    return torch.mean(x, dim=-1, keepdim=True)\n',
    'import torch\ndef f(x):\n    return torch.mean(x, dim=-1)\n',
  );
  assert.deepEqual(changes.map(summary), ['removed:keyword']);
  const [removed] = changes as [Extract<Change, { kind: 'removed' }>];
  assert.equal(removed.node.arg, 'keepdim');
  assert.equal(removed.trail.at(-1)!.field, 'keywords');
  assert.equal(removed.trail.at(-1)!.before._type, 'Call');
});

test('a changed expression is narrowed to the smallest node that differs', async () => {
  const changes = await diff('def f(x):\n    y = x * 2\n    return y\n', 'def f(x):\n    y = x * 3\n    return y\n');
  assert.deepEqual(changes.map(summary), ['modified:Constant']);
  const [modified] = changes as [Extract<Change, { kind: 'modified' }>];
  assert.deepEqual(modified.after.value, { $py: 'int', v: '3' });
  assert.deepEqual(modified.trail.map((s) => s.field), ['body', 'body', 'value', 'right']);
});

test('a statement whose value changed is paired with its old version by its target', async () => {
  const changes = await diff(
    'def f(x):\n    a = g(x)\n    b = h(a)\n    return b\n',
    'def f(x):\n    b = h(x)\n    return b\n',
  );
  assert.deepEqual(changes.map(summary), ['removed:Assign', 'modified:Name']);
  const modified = changes[1] as Extract<Change, { kind: 'modified' }>;
  assert.equal(modified.before.id, 'a');
  assert.equal(modified.after.id, 'x');
});

test('new statements are insertions, a swap is a removal plus an insertion', async () => {
  const inserted = await diff('def f(x):\n    return x\n', 'def f(x):\n    x = x + 1\n    return x\n');
  assert.deepEqual(inserted.map(summary), ['inserted:Assign']);
  const swapped = await diff('def f():\n    a = 1\n    b = 2\n    return a\n', 'def f():\n    b = 2\n    a = 1\n    return a\n');
  assert.deepEqual(swapped.map(summary).sort(), ['inserted:Assign', 'removed:Assign']);
});

test('a block replaced by its own body is an unwrap', async () => {
  const changes = await diff(
    'import torch\ndef f(m, w):\n    with torch.no_grad():\n        a = m(w)\n        b = a + 1\n    return b\n',
    'import torch\ndef f(m, w):\n    a = m(w)\n    b = a + 1\n    return b\n',
  );
  assert.deepEqual(changes.map(summary), ['unwrapped:With']);
  const [unwrapped] = changes as [Extract<Change, { kind: 'unwrapped' }>];
  assert.equal(unwrapped.field, 'body');
  assert.equal(unwrapped.replacement.length, 2);
});

test('removed elements of an argument list or a dict are removals of those elements', async () => {
  const changes = await diff(
    'def f(m, o):\n    return g({"m": m.state(), "o": o.state()}, m, o)\n',
    'def f(m, o):\n    return g({"m": m.state()}, m)\n',
  );
  assert.deepEqual(changes.map(summary), ['removed:Constant', 'removed:Call', 'removed:Name']);
  assert.ok(changes.every((c) => c.kind === 'removed' && isNode(c.node)));
});

test('comments and formatting are not changes', async () => {
  assert.deepEqual(await diff('def f(x):\n    return x  # the input\n', 'def f(x):\n\n    return (x)\n'), []);
});
