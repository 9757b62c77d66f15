import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedPythonRuntime } from '../../../src/python/runtime.js';
import { codeSnippets } from '../../../plugins/synth/code-snippet.js';
import { classifyChanges, type Classification, type Encoding } from '../../../plugins/synth/edit-classifier.js';
import { diffTrees } from '../../../plugins/synth/tree-diff.js';
import { parseModule } from './synth-fixture.js';

const snippets = codeSnippets(sharedPythonRuntime());

async function classify(reference: string, patched: string): Promise<Classification> {
  return classifyChanges(diffTrees(await parseModule(reference), await parseModule(patched)), snippets);
}

/** type + source/name of each encoding of the only edit, e.g. `replace_with node.right`. */
async function encodingsOfOnlyEdit(reference: string, patched: string): Promise<string[]> {
  const { edits, unsupported } = await classify(reference, patched);
  assert.deepEqual(unsupported, []);
  assert.equal(edits.length, 1);
  return (await edits[0]!.encodings()).map(describe);
}

function describe(encoding: Encoding): string {
  switch (encoding.type) {
    case 'delete_statement':
      return `delete_statement ${encoding.target._type}`;
    case 'remove_keyword_arg':
      return `remove_keyword_arg ${encoding.name}`;
    case 'replace_with':
      return `replace_with ${encoding.source}`;
    case 'replace_value_with':
      return `replace_value_with(${encoding.sourceKind}) ${encoding.target._type} ${encoding.source}`;
    default:
      return 'unknown';
  }
}

test('replacing an expression by a deep part of it is replace_with a path', async () => {
  const encodings = await encodingsOfOnlyEdit(
    'import math\ndef decay(t):\n    c = 0.5 * (1.0 + math.cos(t))\n    return c\n',
    'import math\ndef decay(t):\n    c = math.cos(t)\n    return c\n',
  );
  assert.equal(encodings[0], 'replace_with node.right.right');
  // The enclosing assignment can say the same with a value path, as a fallback.
  assert.equal(encodings[1], 'replace_value_with(path) Assign node.value.right.right');
});

test('an assignment value replaced by a part of it: replace_with first, then replace_value_with a node path', async () => {
  const encodings = await encodingsOfOnlyEdit('def f(a, b):\n    out = a + b\n    return out\n', 'def f(a, b):\n    out = b\n    return out\n');
  assert.deepEqual(encodings, ['replace_with node.right', 'replace_value_with(path) Assign node.value.right']);
});

test('a value that is new code is replace_value_with the text CPython parses back to the patched subtree', async () => {
  const encodings = await encodingsOfOnlyEdit(
    'import torch\ndef f(n, b):\n    return torch.randint(low=0, high=n, size=(b,))\n',
    'import torch\ndef f(n, b):\n    return torch.randint(low=0, high=n + 1, size=(b,))\n',
  );
  assert.equal(encodings[0], 'replace_value_with(text) keyword n + 1');
  assert.equal(encodings.at(-1), 'replace_value_with(text) Return torch.randint(low=0, high=n + 1, size=(b,))');
});

test('an expression statement whose call changes is replace_value_with on the Expr', async () => {
  // Two changes (the method name, the arguments) that only the enclosing Expr can express together.
  const { edits, unsupported } = await classify('def f(merges, p):\n    merges.append(p)\n', 'def f(merges, p):\n    merges.insert(0, p)\n');
  assert.deepEqual(unsupported, []);
  assert.deepEqual(
    await Promise.all(edits.map(async (e) => (await e.encodings()).map(describe))),
    [['replace_value_with(text) Expr merges.insert(0, p)'], ['replace_value_with(text) Expr merges.insert(0, p)']],
  );
});

test('a dropped keyword is remove_keyword_arg, with the enclosing statement as fallback', async () => {
  const encodings = await encodingsOfOnlyEdit(
    'import torch\ndef f(x):\n    y = torch.mean(x, dim=-1, keepdim=True)\n    return y\n',
    'import torch\ndef f(x):\n    y = torch.mean(x, dim=-1)\n    return y\n',
  );
  assert.deepEqual(encodings, ['remove_keyword_arg keepdim', 'replace_value_with(text) Assign torch.mean(x, dim=-1)']);
});

test('deleted statements are delete_statement', async () => {
  const { edits, unsupported } = await classify('def f(q):\n    d = q.shape[-1]\n    s = q / d\n    return q\n', 'def f(q):\n    return q\n');
  assert.deepEqual(unsupported, []);
  assert.deepEqual(
    await Promise.all(edits.map(async (e) => (await e.encodings()).map(describe))),
    [['delete_statement Assign'], ['delete_statement Assign']],
  );
});

test('an inserted statement is unsupported, with the statement and its place', async () => {
  const { edits, unsupported } = await classify(
    'import torch\ndef forward(x):\n    y = x * 2\n    return y\n',
    'import torch\ndef forward(x):\n    y = x * 2\n    y = torch.clamp(y, 0, 1)\n    return y\n',
  );
  assert.equal(edits.length, 0);
  assert.equal(unsupported.length, 1);
  assert.match(unsupported[0]!, /^inserts `y = torch\.clamp\(y, 0, 1\)` after `y = x \* 2` \(line 4 of the patched file\) in `forward`/);
  assert.match(unsupported[0]!, /cannot insert statements/);
});

test('a renamed assignment target is unsupported, reported once for its statement', async () => {
  const { unsupported } = await classify('def f(x):\n    logits = g(x)\n    return x\n', 'def f(x):\n    scores = h(x)\n    return x\n');
  assert.equal(unsupported.length, 1);
  assert.match(unsupported[0]!, /^renames the assignment target `logits` → `scores` \(line 2 of `f`\): v2\.1 cannot change an assignment target/);
});

test('wrapping a loop iterable is unsupported: not a part of the old node, and a For has no value field', async () => {
  const { unsupported } = await classify(
    'class T:\n    def encode(self, t):\n        for a, b in self.merges:\n            t = t + a\n        return t\n',
    'class T:\n    def encode(self, t):\n        for a, b in reversed(self.merges):\n            t = t + a\n        return t\n',
  );
  assert.deepEqual(unsupported, [
    'wraps `self.merges` in `reversed(self.merges)` (the `iter` of the `For` at line 3 of `T.encode`): the new node is not a part of the old one, ' +
      'so `replace_with` cannot build it, and a `For` has no `value` field for `replace_value_with`',
  ]);
});

test('moving an operation after another statement is reported as a reorder', async () => {
  const { unsupported } = await classify(
    'def g(logits, t):\n    logits = logits / t\n    probs = softmax(logits)\n    return probs\n',
    'def g(logits, t):\n    probs = softmax(logits)\n    probs = probs / t\n    return probs\n',
  );
  assert.equal(unsupported.length, 1);
  assert.match(unsupported[0]!, /^moves an operation in `g`: it deletes `logits = logits \/ t` \(line 2\) and inserts the similar `probs = probs \/ t` after `probs = softmax\(logits\)`/);
  assert.match(unsupported[0]!, /reorders statements/);
});

test('a changed if-condition is unsupported: an If has no value field', async () => {
  const { unsupported } = await classify('def f(a, b):\n    if a > b:\n        return a\n    return b\n', 'def f(a, b):\n    if a >= b:\n        return a\n    return b\n');
  assert.equal(unsupported.length, 1);
  assert.match(unsupported[0]!, /^changes `a > b` → `a >= b` \(the `test` of the `If` at line 2 of `f`\).*an `If` has no `value` field/);
});

test('a changed augmented-assignment operator is unsupported: only the value of an AugAssign can change', async () => {
  const { unsupported } = await classify('def f(x):\n    x += 1\n    return x\n', 'def f(x):\n    x -= 1\n    return x\n');
  assert.deepEqual(unsupported, [
    'changes the `op` of `x += 1` → `x -= 1` (line 2 of `f`): the new statement is not a part of the old one, and `replace_value_with` only changes the `value` field of an `AugAssign`',
  ]);
});
