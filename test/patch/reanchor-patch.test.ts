import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';
import { reanchorPatch, type ReanchorResult } from '../../src/patch/reanchor-patch.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { referenceLayout } from '../../src/repair/reference-scopes.js';

// Re-anchoring a rotted patch must never change the bug's meaning: each case below is a patch
// whose removed code is still "there" only if a guess is made, and must be refused.

async function reanchor(reference: string, patch: string): Promise<ReanchorResult> {
  const layout = await referenceLayout(sharedPythonRuntime(), reference, 'ref.py');
  return reanchorPatch(reference, parseUnifiedDiff(patch, 'bug.patch', 'recount'), layout);
}

const header = '--- a/ref.py\n+++ b/ref.py\n';

test('a name that is a builtin or the module’s own is never taken for a renamed local', async () => {
  const builtin = await reanchor('def total_of(values, agg):\n    total = agg(values)\n    return total\n', `${header}@@ -1,3 +1,3 @@ def total_of(values):\n-    total = sum(values)\n+    total = sum(values) + 1\n     return total\n`);
  assert.equal(builtin.ok, false, 'sum → agg would call another function');

  const constant = await reanchor('SCALE = 2\n\ndef f(x):\n    s = 3\n    return x * s\n', `${header}@@ -1,2 +1,2 @@ def f(x):\n-    return x * SCALE\n+    return x / SCALE\n`);
  assert.equal(constant.ok, false, 'the module constant SCALE is still there: the local s is another value');

  const helper = await reanchor('def helper(v):\n    return v\n\ndef f(values, fn):\n    total = fn(values)\n    return total\n', `${header}@@ -1,3 +1,3 @@ def f(values):\n-    total = helper(values)\n+    total = helper(values) * 2\n     return total\n`);
  assert.equal(helper.ok, false);

  const local = await reanchor('def f(values, weights):\n    acc = 0\n    return acc\n', `${header}@@ -1,3 +1,3 @@ def f(values, weights):\n-    total = 0\n+    total = 1\n     return total\n`);
  assert.ok(local.ok, 'a local renamed consistently is still found');
  assert.deepEqual(local.renamed, { total: 'acc' });
});

test('lines a hunk only adds are placed only where their neighbours are still next to each other', async () => {
  const patch = `${header}@@ -1,3 +1,4 @@ def f(x):\n     y = g(x)\n+    y = y * 0\n     return y\n`;
  const between = await reanchor('def f(x):\n    y = g(x)\n    y = y + 1\n    return y\n', patch);
  assert.equal(between.ok, false, 'before or after `y = y + 1` are two different bugs');
  if (!between.ok) assert.match(between.reason, /went next to `y = g\(x\)` and `return y`, but today line 3 is there instead/);

  const moved = await reanchor('import math\n\ndef f(x):\n    x = x.float()\n    y = g(x)\n\n    return y\n', patch);
  assert.ok(moved.ok, 'moved down and a blank line apart: still the same place');
  assert.match(moved.text, /    y = g\(x\)\n    y = y \* 0\n\n    return y\n/);
});

test('a trailing comma is formatting, but not the one that makes a one-element tuple', async () => {
  const tuple = await reanchor('def f(x):\n    return (x)\n', `${header}@@ -1,2 +1,2 @@ def f(x):\n-    return (x,)\n+    return (x, 1)\n`);
  assert.equal(tuple.ok, false, '(x,) is a tuple, (x) is x');
  const index = await reanchor('def f(a, i):\n    return a[i]\n', `${header}@@ -1,2 +1,2 @@ def f(a, i):\n-    return a[i,]\n+    return a[i, 0]\n`);
  assert.equal(index.ok, false, 'a[i,] indexes by a tuple');

  const call = await reanchor('def f(a, b):\n    return g(a, b,)\n', `${header}@@ -1,2 +1,2 @@ def f(a, b):\n-    return g(a, b)\n+    return g(b, a)\n`);
  assert.ok(call.ok, 'a call’s trailing comma is formatting');
  const pair = await reanchor('def f(a, b):\n    return [a, b]\n', `${header}@@ -1,2 +1,2 @@ def f(a, b):\n-    return [a, b,]\n+    return [b, a]\n`);
  assert.ok(pair.ok, 'so is a list’s');
});

test('outside the function the hunk names, code read with other names must be confirmed by its context', async () => {
  const patch = `${header}@@ -1,3 +1,3 @@ def gone(a):\n     b = a * 2\n-    return b\n+    return b + 1\n`;
  const unrelated = await reanchor('def load(path):\n    data = open(path).read()\n    return data\n', patch);
  assert.equal(unrelated.ok, false, '`return b` of a deleted function is not `return data` of another');

  const confirmed = await reanchor('def renamed(x):\n    y = x * 2\n    return y\n', patch);
  assert.ok(confirmed.ok, 'the context `b = a * 2` confirms the function was renamed');
  assert.deepEqual(confirmed.renamed, { a: 'x', b: 'y' });
});

test('a hunk whose removed code is gone says so, even when its first change only adds lines', async () => {
  // The author rewrote a call (the first line unchanged, so it reads as context): the comment it
  // adds is placed by that line, which is gone like the arguments it removes.
  const patch = `${header}@@ -1,5 +1,6 @@ def make(rows, cols):\n     shape = (rows, cols)\n-    table = build(\n-        first=rows,\n+    # BUG: swapped\n+    table = build(\n+        first=cols,\n         second=shape)\n`;
  const result = await reanchor('def make(rows, cols):\n    weights = empty((rows, cols))\n    return weights\n', patch);
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.match(result.reason, /^hunk 1: its removed code `first=rows,` is not there/);
    assert.doesNotMatch(result.reason, /no context line left/);
  }
});

test('a removed comment naming a renamed local goes with the code it explains', async () => {
  const patch = `${header}@@ -1,4 +1,4 @@ def scale(q):\n     d_k = q.shape[-1]\n-    # Divide by sqrt(d_k)\n-    out = q / sqrt(d_k)\n+    out = q  # BUG: no scaling\n     return out\n`;
  const result = await reanchor('def scale(q):\n    head_dim = q.shape[-1]\n    # Divide by sqrt(head_dim)\n    out = q / sqrt(head_dim)\n    return out\n', patch);
  assert.ok(result.ok);
  assert.deepEqual(result.renamed, { d_k: 'head_dim' });
  assert.equal(result.text, 'def scale(q):\n    head_dim = q.shape[-1]\n    out = q  # BUG: no scaling\n    return out\n');
});

test('with locals renamed, new code assigning a name today’s function already has for a variable of its own is refused', async () => {
  const patch = `${header}@@ -1,3 +1,4 @@ def f(x):\n-    y = x + 1\n+    tmp = x\n+    y = tmp - 1\n     return y\n`;
  const clobbers = await reanchor('def f(val):\n    tmp = val * 10\n    res = val + 1\n    return res + tmp\n', patch);
  assert.equal(clobbers.ok, false, 'tmp = val would overwrite today’s tmp: the old patch made a new variable');
  if (!clobbers.ok) assert.match(clobbers.reason, /^hunk 1: its new code assigns `tmp`, which the old patch's lines never mention but today's `f` already uses for a variable of its own: with its locals renamed \((y→res, x→val|x→val, y→res)\)/);

  const fresh = await reanchor('def f(val):\n    acc = val * 10\n    res = val + 1\n    return res + acc\n', patch);
  assert.ok(fresh.ok, 'a name today’s function does not use is a new variable, as it was');
  assert.equal(fresh.text, 'def f(val):\n    acc = val * 10\n    tmp = val\n    res = tmp - 1\n    return res + acc\n');

  const unrenamed = await reanchor('def f(x):\n    tmp = x * 10\n    y = x + 1\n    return y + tmp\n', patch);
  assert.ok(unrenamed.ok, 'nothing renamed: the names are the old function’s, tmp included');
});

test('removed code that is not there is quoted as the author wrote it, line by line', async () => {
  const result = await reanchor('def f(q):\n    return q\n', `${header}@@ -1,3 +1,2 @@ def f(q):\n-    d_k = q.shape[-1]  # head size\n-    q = q / math.sqrt(d_k)\n+    q = q\n     return q\n`);
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.reason, /its removed code `d_k = q.shape\[-1\]; q = q \/ math.sqrt\(d_k\)` is not there/);
});

test('code gone from the function the hunk names but found in another is pointed at, never repaired there', async () => {
  const patch = `${header}@@ -1,3 +1,3 @@ def forward(x):\n     h = norm(x)\n-    y = h * 2\n+    y = h * 3\n     return y\n`;
  const result = await reanchor('def double(h):\n    y = h * 2\n    return y\n\n\ndef forward(x):\n    h = norm(x)\n    return double(h)\n', patch);
  assert.equal(result.ok, false, 'the helper may serve other callers: changing it is another bug');
  if (!result.ok) assert.match(result.reason, /is not there, even up to formatting and renamed locals in `forward`; the file has it in `double` at line 2, outside `forward`: if the code moved there, the bug is another function's now \(re-author it\)$/);
});

test('a method named by its own def line is looked for only in the class the hunk heading names', async () => {
  const reference = 'class Doubler:\n    def forward(self, x):\n        out = x * 2\n        return out\n\n\nclass Shifter:\n    def forward(self, x):\n        res = x + 1\n        return res\n';
  const patch = `${header}@@ -8,3 +8,3 @@ class Shifter:\n     def forward(self, x):\n-        y = x * 2\n+        y = x * 3\n         return y\n`;
  const result = await reanchor(reference, patch);
  assert.equal(result.ok, false, 'Doubler.forward has the code with `y` renamed, but the bug was in Shifter');
  if (!result.ok) assert.match(result.reason, /^hunk 1: its removed code `y = x \* 2` is not there, even up to formatting and renamed locals in `Shifter\.forward`/);

  const inItsClass = await reanchor(reference.replace('res = x + 1\n        return res', 'acc = x * 2\n        return acc'), patch);
  assert.ok(inItsClass.ok);
  assert.match(inItsClass.text, /class Shifter:\n {4}def forward\(self, x\):\n {8}acc = x \* 3\n/);
  assert.match(inItsClass.text, /class Doubler:\n {4}def forward\(self, x\):\n {8}out = x \* 2\n/);
});
