import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugDefinition } from '../../src/injector/definition.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { tryDefinitions, type TryCell } from '../../src/try/try-definitions.js';

// Definitions tried on hand-written student files: what the engine would hand each student.

const scaleBug = (replacement: Record<string, unknown>, pattern: Record<string, unknown> = { node_type: 'Return', value: { node_type: 'BinOp', op: 'Mult' } }): BugDefinition => ({
  id: 'scale-bug',
  description: 't',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'scale',
  logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern, replacement: replacement as unknown as NonNullable<BugDefinition['logic'][number]['replacement']> }],
});

const students = [
  { label: 'alice.py', source: 'def scale(v, k):\n    return v * k\n' },
  { label: 'bob.py', source: 'def scale(x, factor):\n    out = x\n    out *= factor\n    return out\n' },
  { label: 'carol.py', source: 'def mean(xs):\n    return sum(xs) / len(xs)\n' },
  { label: 'dave.py', source: 'def scale(x, factor):\n    return x * factor\n\ndef double(x):\n    return x * 2\n' },
  { label: 'broken.py', source: 'def scale(x:\n' },
];

async function cells(definition: BugDefinition): Promise<Record<string, TryCell>> {
  const report = await tryDefinitions([{ label: 'scale/bug', file: 'bug.json', definition }], students, sharedPythonRuntime(), { diff: true });
  assert.deepEqual(report.unparsable.map((u) => u.file), ['broken.py']);
  return Object.fromEntries(report.cells.map((c) => [c.file, c]));
}

test('injected, no-match and absent, each for its reason; a look-alike changed too is pointed out', async () => {
  const byFile = await cells(scaleBug({ type: 'replace_with', source: 'node.left' }, { node_type: 'BinOp', op: 'Mult' }));
  assert.equal(byFile['alice.py']!.outcome, 'injected');
  assert.match(byFile['alice.py']!.diff!, /-    return v \* k\n\+    return v/);
  assert.equal(byFile['bob.py']!.outcome, 'no-match', 'an augmented assignment is not a BinOp');
  assert.equal(byFile['carol.py']!.outcome, 'absent');
  assert.equal(byFile['dave.py']!.outcome, 'injected');
  assert.deepEqual(byFile['dave.py']!.alsoChanged, ['double']);
  assert.match(byFile['dave.py']!.reason!, /also changes `double`, not only `scale`/);
});

test('broke: a literal using a name the student never defines, a block left empty, a definition the engine rejects', async () => {
  const literal = await cells(scaleBug({ type: 'replace_value_with', source: 'x * factor * 2' }));
  assert.equal(literal['alice.py']!.outcome, 'broke');
  assert.match(literal['alice.py']!.reason!, /uses `x`, `factor`, which the student's file never defines/);
  // Same names in `scale`, but the unconfined pattern also rewrites `double`, which has no `factor`.
  assert.equal(literal['dave.py']!.outcome, 'broke');
  assert.match(literal['dave.py']!.reason!, /uses `factor`/);

  // A name defined in another function of the file is still not defined where it is used.
  const elsewhere = await tryDefinitions(
    [{ label: 'scale/bug', file: 'bug.json', definition: scaleBug({ type: 'replace_value_with', source: 'factor * 2' }) }],
    [{ label: 'erin.py', source: 'def scale(v, k):\n    return v * k\n\ndef other(factor):\n    return factor\n' }],
    sharedPythonRuntime(),
  );
  assert.equal(elsewhere.cells[0]!.outcome, 'broke');
  assert.match(elsewhere.cells[0]!.reason!, /uses `factor`, which the student's file never defines/);

  const emptied = await cells(scaleBug({ type: 'delete_statement' }, { node_type: 'Return' }));
  assert.equal(emptied['alice.py']!.outcome, 'broke');
  assert.match(emptied['alice.py']!.reason!, /not valid Python/);

  const rejected = await tryDefinitions([{ label: 'x', file: 'x.json', definition: { id: 'x', logic: [] } }], students.slice(0, 1), sharedPythonRuntime());
  assert.equal(rejected.cells[0]!.outcome, 'broke');
  assert.match(rejected.cells[0]!.reason!, /the engine rejects the definition: ValueError/);
});

async function tryOne(definition: BugDefinition, source: string): Promise<TryCell> {
  const report = await tryDefinitions([{ label: 'bug', file: 'bug.json', definition }], [{ label: 'student.py', source }], sharedPythonRuntime());
  assert.equal(report.cells.length, 1);
  return report.cells[0]!;
}

const negate = (target: string): BugDefinition => ({
  ...scaleBug({ type: 'replace_with', source: 'node.operand' }, { node_type: 'UnaryOp', op: 'USub' }),
  target_function: target,
});

test('a property getter and setter sharing a name are not taken for a changed look-alike', async () => {
  const source = 'class Opt:\n\n    @property\n    def lr(self):\n        return self._lr\n\n    @lr.setter\n    def lr(self, value):\n        self._lr = value\n\n    def step(self, grad):\n        return -grad * self._lr\n';
  const cell = await tryOne(negate('step'), source);
  assert.equal(cell.outcome, 'injected');
  assert.equal(cell.alsoChanged, undefined);
  assert.equal(cell.reason, undefined);
});

test('every other changed method is a look-alike, also when it has the target name (A.forward and B.forward)', async () => {
  const cell = await tryOne(negate('forward'), 'class A:\n\n    def forward(self, x):\n        return -x\n\n\nclass B:\n\n    def forward(self, x):\n        return -x\n');
  assert.equal(cell.outcome, 'injected');
  assert.deepEqual(cell.alsoChanged, ['B.forward']);
  assert.match(cell.reason!, /also changes `B\.forward`, not only `A\.forward`: probably a look-alike/);
});

test('code outside the functions: a change there is pointed out, and functions under a module-level if are checked', async () => {
  const main = await tryOne(
    scaleBug({ type: 'replace_with', source: 'node.left' }, { node_type: 'BinOp', op: 'Mult' }),
    'def scale(v, k):\n    return v * k\n\nif __name__ == "__main__":\n    print(scale(2, 3) * 2)\n',
  );
  assert.equal(main.outcome, 'injected');
  assert.deepEqual(main.alsoChanged, ['<module>']);
  assert.match(main.reason!, /also changes code outside the functions, not only `scale`/);

  const guarded = await tryOne(scaleBug({ type: 'replace_value_with', source: 'x * factor' }), 'import sys\n\nif sys.version_info >= (3, 8):\n\n    def scale(v, k):\n        return v * k\n');
  assert.equal(guarded.outcome, 'broke');
  assert.match(guarded.reason!, /uses `x`, `factor`, which the student's file never defines/);
});

test('names a function binds in any way are defined there: its own imports, a local a nested function declares nonlocal', async () => {
  const imported = await tryOne(scaleBug({ type: 'replace_value_with', source: 'math.sqrt(v)' }), 'def scale(v, k):\n    import math\n    return v * k\n');
  assert.equal(imported.outcome, 'injected', imported.reason);
  const nonlocal = await tryOne(
    scaleBug({ type: 'replace_value_with', source: 'total * k' }),
    'def scale(v, k):\n    total = 0\n\n    def add(x):\n        nonlocal total\n        total += x\n    add(v)\n    return v * k\n',
  );
  assert.equal(nonlocal.outcome, 'injected', nonlocal.reason);
});

test('an injector that raises on a file, or removes the whole module, injects nothing: no-match, as in transfer verification', async () => {
  const raises = await tryOne(scaleBug({ type: 'replace_with' }), students[0]!.source);
  assert.equal(raises.outcome, 'no-match');
  assert.match(raises.reason!, /the injector raises KeyError/);
  const removed = await tryOne(scaleBug({ type: 'delete_statement' }, { node_type: 'Module' }), students[0]!.source);
  assert.equal(removed.outcome, 'no-match');
  assert.match(removed.reason!, /the injector raises|removes the whole module/);
});
