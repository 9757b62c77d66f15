import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StudentVariants } from '../../src/transfer/student-variants.js';
import { expectedTextOf, variantOfKind, variantsOf } from './support/variants.js';

// The student shapes restructured around the changed code, and the respelled ones: each applied
// to the reference and, the same way, to the patched reference (what injection must give).

const REFERENCE = `import math
import torch


def attend(q, k, eps):
    if q is None:
        raise ValueError("q")
    if k is None:
        raise ValueError("k")
    d = q.shape[-1]
    lo, hi = 0, d
    scores = q @ k.transpose(-2, -1)
    scale = math.sqrt(d)
    scores = scores / (scale * eps)
    return scores
`;
const PATCHED = REFERENCE.replace('    scores = scores / (scale * eps)\n', '');

const variants = (): Promise<StudentVariants> => variantsOf(REFERENCE, PATCHED);
const variant = variantOfKind;
const expectedText = expectedTextOf;

test('one more assignment at the top of every function, on both sides', async () => {
  const v = variant(await variants(), 'extra-assignment-top');
  assert.match(v.source, /def attend\(q, k, eps\):\n    calls_seen = 0\n    if q is None/);
  assert.match(await expectedText(v), /def attend\(q, k, eps\):\n    calls_seen = 0\n/);
});

test('a temporary read once inlined into its use, the changed use first', async () => {
  const v = variant(await variants(), 'temporary-inlined');
  assert.match(v.source, /scores = scores \/ \(math\.sqrt\(d\) \* eps\)/);
  assert.doesNotMatch(v.source, /scale = /);
  // The patch deletes the use: the student who inlined has nothing left of the temporary.
  assert.doesNotMatch(await expectedText(v), /scale|math\.sqrt/);
});

test('a part of the changed statement held in its own variable; kept (unused) where the patch deletes the statement', async () => {
  const v = variant(await variants(), 'subexpression-extracted');
  assert.match(v.source, /(\w+) = scale \* eps\n    scores = scores \/ \1\n/);
  assert.match(await expectedText(v), /\w+ = scale \* eps\n    return scores/);
});

test('two independent guards in the other order, and a tuple assignment split, on both sides', async () => {
  const all = await variants();
  // The independent pair nearest the changed code: the two assignments just before it.
  const reordered = variant(all, 'reordered');
  assert.match(reordered.source, /scale = math\.sqrt\(d\)\n    scores = q @ k/);
  assert.match(await expectedText(reordered), /scale = math\.sqrt\(d\)\n    scores = q @ k/);
  const tuple = variant(all, 'tuple-assignment');
  assert.match(tuple.source, /lo = 0\n    hi = d\n/);
  assert.match(await expectedText(tuple), /lo = 0\n    hi = d\n/);
});

test('equivalent spellings of the changed code (the patch deletes it: nothing to respell on the patched side)', async () => {
  const all = await variants();
  const commuted = variant(all, 'spelled-commuted');
  assert.match(commuted.source, /scores = scores \/ \(eps \* scale\)/);
  assert.doesNotMatch(await expectedText(commuted), /eps \* scale|scale \* eps/);
  assert.ok(all.notApplicable.some((n) => n.kind === 'spelled-matmul'), 'the changed code has no @ (only an unchanged statement does)');
});

test('an operation whose operand the patch changes is respelled on both sides: the student who swapped it gets the bug in their order', async () => {
  const reference = 'import torch\n\n\ndef norm(x, eps):\n    return x / torch.sqrt(torch.mean(x ** 2, dim=-1, keepdim=True) + eps)\n';
  const patched = reference.replace(', keepdim=True', '');
  const commuted = variant(await variantsOf(reference, patched), 'spelled-commuted');
  assert.match(commuted.source, /torch\.sqrt\(eps \+ torch\.mean\(x \*\* 2, dim=-1, keepdim=True\)\)/);
  assert.match(await expectedText(commuted), /torch\.sqrt\(eps \+ torch\.mean\(x \*\* 2, dim=-1\)\)/);
});

test('the two arguments of `min`/`max` swapped, on both sides: the student who wrote them the other way round gets the changed call in their order', async () => {
  const reference = 'def cheapest(cost, n):\n    best = [0] * n\n    for i in range(2, n):\n        best[i] = min(best[i - 1] + cost[i], best[i - 2])\n    return best\n';
  const patched = reference.replace('min(', 'max(');
  const swapped = variant(await variantsOf(reference, patched), 'spelled-min-max');
  // Only the arguments' order: the `+` inside is the other variant's.
  assert.match(swapped.source, /best\[i\] = min\(best\[i - 2\], best\[i - 1\] \+ cost\[i\]\)/);
  assert.match(await expectedText(swapped), /best\[i\] = max\(best\[i - 2\], best\[i - 1\] \+ cost\[i\]\)/);
});

test('a `min` the module defines itself is no builtin: its arguments keep their order', async () => {
  const reference = 'def min(a, b):\n    return a\n\n\ndef pick(x, y):\n    return min(x, y)\n';
  const patched = reference.replace('return min(x, y)', 'return min(x, 0)');
  const all = await variantsOf(reference, patched);
  assert.ok(all.notApplicable.some((n) => n.kind === 'spelled-min-max'), JSON.stringify(all.notApplicable));
});
