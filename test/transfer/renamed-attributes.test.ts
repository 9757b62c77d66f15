import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedTextOf, variantOfKind, variantsOf } from './support/variants.js';

// The student who names what a class stores on `self` otherwise: every method's `self.rows`
// becomes `self.my_rows`, on the reference and the patched reference alike. An attribute the
// module also reads on another object (`node.next`) and a method's name stay as they are.

const REFERENCE = `class Node:
    def __init__(self, val):
        self.val = val
        self.next = None


class Grid:
    def __init__(self, rows):
        self.rows = rows
        self.h = len(rows)
        self.head = Node(0)

    def total(self):
        return self.rows_sum() + self.head.next.val

    def rows_sum(this):
        out = 0
        for r in range(this.h):
            out += sum(this.rows[r])
        return out
`;
const PATCHED = REFERENCE.replace('for r in range(this.h)', 'for r in range(this.h - 1)');

test('instance attributes renamed in every method of every class, whatever the method calls its instance, on both sides', async () => {
  const v = variantOfKind(await variantsOf(REFERENCE, PATCHED), 'renamed-attributes');
  assert.match(v.source, /self\.my_rows = rows\n\s+self\.my_h = len\(rows\)\n\s+self\.my_head = Node\(0\)/);
  assert.match(v.source, /for r in range\(this\.my_h\):\n\s+out \+= sum\(this\.my_rows\[r\]\)/);
  assert.match(await expectedTextOf(v), /for r in range\(this\.my_h - 1\):\n\s+out \+= sum\(this\.my_rows\[r\]\)/);
  // Read on another object (`….next.val`): renaming it on `self` alone would break the program.
  assert.match(v.source, /self\.val = val\n\s+self\.next = None/);
  assert.match(v.source, /self\.rows_sum\(\) \+ self\.my_head\.next\.val/);
});

test('a module whose classes store nothing on their instance has no such variant, and says why', async () => {
  const all = await variantsOf('def f(x):\n    return x + 1\n', 'def f(x):\n    return x\n');
  const skipped = all.notApplicable.find((n) => n.kind === 'renamed-attributes');
  assert.ok(skipped, JSON.stringify(all.notApplicable));
  assert.match(skipped.reason, /no method assigns an attribute/);
});
