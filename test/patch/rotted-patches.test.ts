import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { applyFilePatch, applyLikeEngine } from '../../src/patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';
import { isFreshPatch, refreshPatchText } from '../../src/patch/refresh-patch.js';
import { describePatchNote } from '../../src/patch/patch-notes.js';

// The reference as the author wrote the patches against it…
const original = `import torch


def softmax(x, dim=-1):
    # Subtract the max for numerical stability
    max_vals = x.max(dim=dim, keepdim=True).values
    shifted = x - max_vals
    exps = torch.exp(shifted)
    return exps / exps.sum(dim=dim, keepdim=True)


def silu(x):
    return x * torch.sigmoid(x)
`;

// …and as it is now: a new import and helper above (line numbers shift), a comment reworded,
// one added, a blank line gone, trailing spaces on one line; the code of both functions unchanged.
const current = `import math
import torch


def helper(a):
    return a


def softmax(x, dim=-1):
    # Numerically stable: shift by the row max first.
    max_vals = x.max(dim=dim, keepdim=True).values
    # (the shift does not change the result)
    shifted = x - max_vals
    exps = torch.exp(shifted)   
    return exps / exps.sum(dim=dim, keepdim=True)

def silu(x):
    return x * torch.sigmoid(x)
`;

const softmaxHunk = `@@ -4,6 +4,5 @@
 def softmax(x, dim=-1):
     # Subtract the max for numerical stability
     max_vals = x.max(dim=dim, keepdim=True).values
-    shifted = x - max_vals
-    exps = torch.exp(shifted)
+    exps = torch.exp(x)
     return exps / exps.sum(dim=dim, keepdim=True)
`;

const siluHunk = `@@ -12,2 +11,2 @@
 def silu(x):
-    return x * torch.sigmoid(x)
+    return torch.sigmoid(x)
`;

const header = '--- a/nn.py\n+++ b/nn.py\n';

function apply(patch: string, reference: string) {
  return applyFilePatch(reference, parseUnifiedDiff(patch, 'bugs/b.patch'), 'bugs/b.patch', 'nn.py');
}

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  assert.fail('expected an InputError');
}

describe('rotted patches, as found in real repositories', () => {
  test('a miscounted hunk: recounted, applied, and said so', () => {
    const miscounted = header + softmaxHunk.replace('@@ -4,6 +4,5 @@', '@@ -4,5 +4,4 @@');
    const applied = apply(miscounted, original);
    assert.match(applied.text, /    exps = torch\.exp\(x\)\n/);
    assert.deepEqual(
      applied.notes.map((n) => n.kind),
      ['recounted'],
    );
  });

  test('context lines whose trailing spaces an editor stripped', () => {
    const withSpaces = original.replace('    exps = torch.exp(shifted)\n', '    exps = torch.exp(shifted)  \n').replace('    max_vals = x.max(dim=dim, keepdim=True).values\n', '    max_vals = x.max(dim=dim, keepdim=True).values \n');
    const patch = header + softmaxHunk.replace('-    exps = torch.exp(shifted)\n', '-    exps = torch.exp(shifted)\n');
    const applied = apply(patch, withSpaces);
    assert.match(applied.text, /    exps = torch\.exp\(x\)\n/);
    assert.doesNotMatch(applied.text, /shifted/);
    assert.deepEqual(applied.notes, [{ kind: 'whitespace', hunk: 1, line: 3 }]);
  });

  test('changed comments and blank lines around unchanged code: found by its code, and said so', () => {
    const applied = apply(header + softmaxHunk, current);
    assert.equal(
      applied.text,
      current.replace('    shifted = x - max_vals\n', '').replace('    exps = torch.exp(shifted)   \n', '    exps = torch.exp(x)\n'),
    );
    assert.deepEqual(applied.notes, [{ kind: 'code', hunk: 1, line: 3, at: 9 }]);
  });

  test('shifted line numbers alone: applied as patch would (an offset), no note', () => {
    const shifted = `# header\n# more\n${original}`;
    const applied = apply(header + softmaxHunk, shifted);
    assert.deepEqual(applied.notes, []);
    assert.match(applied.text, /    exps = torch\.exp\(x\)\n/);
  });

  test('the removed code no longer exists: the error says so and names the closest statements', () => {
    const rewritten = original.replace('    shifted = x - max_vals\n    exps = torch.exp(shifted)\n', '    exps = torch.exp(x - max_vals)\n');
    const err = failure(() => apply(header + softmaxHunk, rewritten));
    assert.equal(err.kind, 'does-not-apply');
    assert.equal(err.line, 3);
    assert.match(err.reason, /hunk 1 of 1 .*the code it removes, `shifted = x - max_vals` \(and 1 more line\), no longer exists in nn\.py/);
    assert.match(err.reason, /closest statements it does contain: line 7 `exps = torch\.exp\(x - max_vals\)`/);
    // What to do (refresh-patch, else re-author) is the edge's to say, after re-anchoring had its chance.
    assert.match(err.reason, /`exps = torch\.exp\(x - max_vals\)`$/);
  });

  test('two hunks, one of them stale: the fresh one applies as patch would, the stale one by its code', () => {
    const twoHunks = header + softmaxHunk + siluHunk;
    const stale = current.replace('def silu(x):\n    return x * torch.sigmoid(x)\n', 'def silu(x):\n    return x * torch.sigmoid(x)\n');
    const applied = apply(twoHunks, stale);
    assert.match(applied.text, /def silu\(x\):\n    return torch\.sigmoid\(x\)\n/);
    assert.match(applied.text, /    exps = torch\.exp\(x\)\n/);
    assert.deepEqual(
      applied.notes.map((n) => [n.kind, n.hunk]),
      [['code', 1]],
    );
  });

  test('indentation-insensitive: code moved into a class is found, and added lines take its indentation', () => {
    const inClass = 'import torch\n\n\nclass Act:\n    def silu(x):\n        return x * torch.sigmoid(x)\n';
    const applied = apply(header + siluHunk, inClass);
    assert.equal(applied.text, 'import torch\n\n\nclass Act:\n    def silu(x):\n        return torch.sigmoid(x)\n');
    assert.deepEqual(applied.notes, [{ kind: 'code', hunk: 1, line: 3, at: 5 }]);
  });

  test('code found twice is ambiguous, never guessed', () => {
    const twice = 'class A:\n    def silu(x):\n        return x * torch.sigmoid(x)\n\n\nclass B:\n    def silu(x):\n        return x * torch.sigmoid(x)\n';
    const err = failure(() => apply(header + siluHunk, twice));
    assert.match(err.reason, /its code occurs 2 times \(lines 2, 7\)/);
  });

  test('the engine path (GNU patch) refuses what only the lenient build applies', () => {
    const patch = header + softmaxHunk;
    const err = failure(() => applyLikeEngine(current, parseUnifiedDiff(patch, 'bugs/b.patch', 'patch'), 'bugs/b.patch', 'nn.py'));
    assert.match(err.reason, /hunk 1 of 1 \(`@@ -4,6 \+4,5 @@` at line 3.*does not apply to nn\.py the way the engine applies patches/);
  });

  test('refreshing a stale patch: the same edit, fresh context and line numbers, applying exactly again', () => {
    const patch = `Make softmax unstable.\n\ndiff --git a/nn.py b/nn.py\nindex 0123abc..4567def 100644\n${header}${softmaxHunk}${siluHunk}`;
    assert.equal(isFreshPatch(patch, current, 'b.patch'), false);
    const parsed = parseUnifiedDiff(patch, 'b.patch');
    const patched = applyFilePatch(current, parsed, 'b.patch', 'nn.py').text;
    const fresh = refreshPatchText(patch, parsed, current, patched);
    assert.match(fresh, /^Make softmax unstable\.\n\ndiff --git a\/nn\.py b\/nn\.py\n--- a\/nn\.py\n\+\+\+ b\/nn\.py\n@@ -10,/);
    assert.doesNotMatch(fresh, /^index /m);
    assert.equal(isFreshPatch(fresh, current, 'b.patch'), true);
    assert.equal(applyLikeEngine(current, parseUnifiedDiff(fresh, 'b.patch', 'patch'), 'b.patch', 'nn.py').text, patched);
  });
});

describe('a lenient placement never moves an edit into a look-alike function', () => {
  // silu's code changed since the patch was written; swish has the line the hunk removes.
  const lookAlike = `import torch


def silu(x):
    # gate the input
    y = torch.sigmoid(x) * 1.0
    return x * y


def swish(x):
    # gate it
    y = torch.sigmoid(x)
    return x * y
`;
  const siluPatch = `${header}@@ -4,4 +4,4 @@
 def silu(x):
     # gate the input by its sigmoid
-    y = torch.sigmoid(x)
+    y = torch.sigmoid(-x)
     return x * y
`;

  test('fuzz: the hunk names silu by its def line and would land in swish; refused, naming both', () => {
    // GNU patch would put it into swish at fuzz 2.
    assert.equal(applyLikeEngine(lookAlike, parseUnifiedDiff(siluPatch, 'bugs/b.patch', 'patch'), 'bugs/b.patch', 'nn.py').fuzz[0], 2);
    const err = failure(() => apply(siluPatch, lookAlike));
    assert.equal(err.kind, 'does-not-apply');
    assert.match(err.reason, /changes `silu`, but placed with fuzz 2 it would land in `swish` at line 12 of nn\.py/);
  });

  test('by code: a hunk that fits nowhere as patch would, found by its code only inside swish, is refused', () => {
    const patch = siluPatch.replace('@@ -4,4 +4,4 @@', '@@ -4,5 +4,5 @@').replace('     # gate the input by its sigmoid\n', '     # gate the input by its sigmoid\n     # (a second comment)\n');
    const err = failure(() => apply(patch, lookAlike));
    assert.match(err.reason, /changes `silu`, but placed by its code \(comments ignored\) it would land in `swish` at line 12/);
    // Without silu's def line, the hunk's heading names the function.
    const headed = `${header}@@ -5,4 +5,4 @@ def silu(x):\n     # gate the input by its sigmoid\n     # (a second comment)\n-    y = torch.sigmoid(x)\n+    y = torch.sigmoid(-x)\n     return x * y\n`;
    assert.match(failure(() => apply(headed, lookAlike)).reason, /changes `silu`, but placed with fuzz 2 it would land in `swish` at line 12/);
  });

  test('the same hunk in its own function still applies with fuzz, and a hunk naming no function is judged as before', () => {
    const own = lookAlike.replace('    y = torch.sigmoid(x) * 1.0\n', '    y = torch.sigmoid(x)\n');
    const applied = apply(siluPatch, own);
    assert.match(applied.text, /def silu\(x\):\n    # gate the input\n    y = torch\.sigmoid\(-x\)\n/);
    assert.deepEqual(applied.notes.map((n) => n.kind), ['fuzz']);
    const nameless = `${header}@@ -5,3 +5,3 @@\n     # gate the input by its sigmoid\n-    y = torch.sigmoid(x)\n+    y = torch.sigmoid(-x)\n     return x * y\n`;
    assert.match(apply(nameless, lookAlike).text, /def swish\(x\):\n    # gate it\n    y = torch\.sigmoid\(-x\)\n/);
  });
});

test('a hunk naming a function its file does not have says so in one line, not with unrelated closest statements', () => {
  // The header names the wrong file: the function lives in another module of the project.
  const patch = `--- a/pkg/utils.py
+++ b/pkg/utils.py
@@ -1,4 +1,4 @@
 def render_grid(width, height):
     """Dense grid."""
-    grid = [[' '] * width for _ in range(height)]
+    grid = [[' '] * width] * height
     return grid
`;
  const utils = `import torch


def softmax(x):
    grid_like = [x for _ in range(3)]
    return grid_like
`;
  assert.throws(
    () => applyFilePatch(utils, parseUnifiedDiff(patch, 'b.patch'), 'b.patch', 'pkg/utils.py'),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.reason, /changes `render_grid`, but pkg\/utils\.py has no `render_grid`: the patch header names the wrong file, or `render_grid` was renamed or moved$/);
      assert.doesNotMatch(err.reason, /closest/);
      assert.doesNotMatch(err.reason, /\n/);
      return true;
    },
  );
});

test('hunks out of order: the engine path refuses them as GNU patch does ("misordered hunks"); refreshing puts them in order', () => {
  const swapped = header + siluHunk.replace('@@ -12,2 +11,2 @@', '@@ -12,2 +12,2 @@') + softmaxHunk;
  const err = failure(() => applyLikeEngine(original, parseUnifiedDiff(swapped, 'bugs/b.patch', 'patch'), 'bugs/b.patch', 'nn.py'));
  assert.match(err.reason, /^hunk 2 of 2 .*lies before the hunk above it in nn\.py \(hunks out of order\): the engine's patch stops with "misordered hunks! output would be garbled"/);
  assert.equal(isFreshPatch(swapped, original, 'b.patch'), false, 'so refresh-patch does not leave it alone');

  const parsed = parseUnifiedDiff(swapped, 'b.patch');
  const patched = applyFilePatch(original, parsed, 'b.patch', 'nn.py').text;
  const fresh = refreshPatchText(swapped, parsed, original, patched);
  assert.ok(fresh.indexOf('def softmax') < fresh.indexOf('def silu'), fresh);
  assert.equal(isFreshPatch(fresh, original, 'b.patch'), true);
  assert.equal(applyLikeEngine(original, parseUnifiedDiff(fresh, 'b.patch', 'patch'), 'b.patch', 'nn.py').text, patched);
});

test('the lenient build applies hunks out of order, and says so', () => {
  const swapped = header + siluHunk.replace('@@ -12,2 +11,2 @@', '@@ -12,2 +12,2 @@') + softmaxHunk;
  const applied = apply(swapped, original);
  assert.equal(applied.text, apply(header + softmaxHunk + siluHunk, original).text);
  assert.deepEqual(applied.notes, [{ kind: 'misordered', hunk: 2, line: 7 }]);
  assert.equal(describePatchNote(applied.notes[0]!), "hunk 2 lies above the hunk before it (hunks out of order, which the engine's patch refuses)");
});

test('a method hunk whose heading names its class is never placed in another class’s method of the same name, even exactly', () => {
  const twoClasses = 'class Doubler:\n    def forward(self, x):\n        y = x * 2\n        return y\n\n\nclass Shifter:\n    def forward(self, x):\n        z = x + 1\n        return z\n';
  const patch = '--- a/nn.py\n+++ b/nn.py\n@@ -8,3 +8,3 @@ class Shifter:\n     def forward(self, x):\n-        y = x * 2\n+        y = x * 3\n         return y\n';
  const err = failure(() => apply(patch, twoClasses));
  assert.match(err.reason, /changes `Shifter`, but placed at offset -6 it would land in `Doubler` at line 3 of nn\.py, a look-alike; it is not applied there/);

  // In its own class it applies as before, at any offset.
  const moved = `import torch\n\n\n${twoClasses.replace('z = x + 1\n        return z', 'y = x * 2\n        return y')}`;
  const applied = apply(patch.replace('@@ -8,3 +8,3 @@ class Shifter:', '@@ -1,3 +1,3 @@ class Doubler:'), moved);
  assert.match(applied.text, /class Doubler:\n {4}def forward\(self, x\):\n {8}y = x \* 3\n/);
  const own = apply(patch, moved);
  assert.match(own.text, /class Shifter:\n {4}def forward\(self, x\):\n {8}y = x \* 3\n/);
  assert.match(own.text, /class Doubler:\n {4}def forward\(self, x\):\n {8}y = x \* 2\n/);
});
