import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inject } from '../../src/index.js';
import { injectExplained } from '../../src/injector/inject.js';

const source = 'def f(a, b):\n    c = a * b\n    return c + 1\n';
const bug = (logic: unknown[], extra: object = {}) => ({ id: 'x', injection_type: 'ast', target_function: 'f', logic, ...extra });
const replaceMult = { pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'BinOp', op: 'Mult' }, replacement: { type: 'replace_with', source: 'node.left' } };

test('inject returns exactly the engine contract: { ok, output } (and error when it raises)', async () => {
  assert.deepEqual(await inject(bug([replaceMult]), source), { ok: true, output: 'def f(a, b):\n    c = a\n    return c + 1' });
});

test('an invalid definition is a ValueError, like the engine constructing its injector', async () => {
  const result = await inject({ injection_type: 'ast', logic: [] }, source);
  assert.equal(result.ok, false);
  assert.equal(result.output, null);
  assert.match(result.error ?? '', /^ValueError: .*id/);
  assert.match((await inject(bug([], { injection_type: 'regex' }), source)).error ?? '', /^ValueError/);
});

test('a non-string source is a TypeError', async () => {
  const result = await inject(bug([replaceMult]), 42 as unknown as string);
  assert.match(result.error ?? '', /^TypeError/);
});

test('a find_and_replace pass that matches nothing fails and returns the source as given', async () => {
  const noMatch = { ...replaceMult, pattern: { node_type: 'BinOp', op: 'Div' } };
  const result = await inject(bug([noMatch]), source);
  assert.deepEqual([result.ok, result.output], [false, source]);
});

test('a syntax error returns the dedented source with failure', async () => {
  const result = await inject(bug([replaceMult]), '    def f(:\n        pass\n');
  assert.deepEqual([result.ok, result.output], [false, 'def f(:\n    pass\n']);
});

test('the target function gate: a file with functions must define the target', async () => {
  const result = await injectExplained(bug([replaceMult], { target_function: 'g' }), source);
  assert.equal(result.ok, false);
  assert.match(result.reason ?? '', /'g' not found/);
});

const trackThenDelete = (trackPattern: object, trackAs: object, deletePattern: object) =>
  bug([
    { pass: 1, type: 'find_and_track', description: 't', pattern: trackPattern, track_as: trackAs },
    { pass: 2, type: 'find_and_replace', description: 'd', pattern: deletePattern, replacement: { type: 'delete_statement' } },
  ]);

test('find_and_track visits the canonical tree depth-first: the last match in source order wins', async () => {
  // Breadth-first, `b = 2` (a shallow statement of g) would come after the nested `a = 1`;
  // depth-first (the engine's NodeVisitor), f's nested assignment comes first and `b` wins.
  const src = 'def f(x):\n    if x:\n        a = 1\n    return x\n\n\ndef g(y):\n    b = 2\n    return y\n';
  const result = await inject(
    trackThenDelete({ node_type: 'Assign', value: { node_type: 'Constant' } }, { name: 'node.targets[0].id' }, { node_type: 'Assign', targets: [{ node_type: 'Name', id: { from_context: 'name' } }] }),
    src,
  );
  assert.equal(result.ok, true);
  assert.match(result.output ?? '', /a = 1/);
  assert.doesNotMatch(result.output ?? '', /b = 2/);
});

test('a track match on a node without a position raises AttributeError, as in the engine', async () => {
  const result = await inject(trackThenDelete({ node_type: 'arguments' }, { v: 'node.args[0].arg' }, { node_type: 'Return' }), 'def f(x):\n    return x\n');
  assert.match(result.error ?? '', /^AttributeError/);
});

test('paths index lists only; negative indexes count from the end', async () => {
  const src = 'def f(a, b):\n    c, d = a, b\n    return c\n';
  const rvw = (source: string) =>
    inject(bug([{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Assign' }, replacement: { type: 'replace_value_with', source } }]), src);
  assert.match((await rvw('node.value.elts[-1]')).output ?? '', /c, d = b/);
  const onReturn = await inject(
    bug([{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Return' }, replacement: { type: 'replace_value_with', source: 'node.value.id[0]' } }]),
    src,
  );
  assert.equal(onReturn.ok, true);
  assert.doesNotMatch(onReturn.output ?? '', /return/, 'a string is not indexed: the path yields nothing, so the node is removed');
  assert.match((await rvw('node.value.elts[x]')).error ?? '', /^ValueError/);
});

test("replacements the engine's code falls through remove the node (and count): an unknown type, no replacement", async () => {
  const assign = { pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Assign' } };
  const unknown = await inject(bug([{ ...assign, replacement: { type: 'swap_operands' } }]), source);
  assert.deepEqual([unknown.ok, unknown.output], [true, 'def f(a, b):\n    return c + 1']);
  // Removing an Assign's value breaks the tree: rebuilding the canonical copy raises, as in the engine.
  const onExpression = await inject(bug([{ ...replaceMult, replacement: { type: 'swap_operands' } }]), source);
  assert.match(onExpression.error ?? '', /^AttributeError/);
  const none = await inject(bug([assign]), source);
  assert.deepEqual([none.ok, none.output], [true, 'def f(a, b):\n    return c + 1']);
});

test('missing keys the engine reads directly raise KeyError', async () => {
  assert.match((await inject(bug([{ ...replaceMult, replacement: { type: 'replace_with' } }]), source)).error ?? '', /^KeyError: 'source'/);
  assert.match((await inject(bug([{ ...replaceMult, replacement: { type: 'remove_keyword_arg' } }]), source)).error ?? '', /^KeyError: 'name'/);
  assert.match((await inject(bug([{ pattern: { node_type: 'Return' } }]), source)).error ?? '', /^KeyError: 'type'/);
  assert.match((await inject(bug([{ type: 'find_and_replace', replacement: { type: 'delete_statement' } }]), source)).error ?? '', /^KeyError: 'pattern'/);
  assert.match((await inject(bug(['not a pass']), source)).error ?? '', /^TypeError/);
});

// Expected results below are what the engine (generic_injector.py) returns or raises on the same input.
const onY = 'def f(a):\n    y = a + 1\n    return y\n';

test('every replace pass rebuilds the canonical copy, which raises on a value that is not a node (no track pass needed)', async () => {
  // A list as an Assign's value: the Canonicalizer visits it ("'list' object has no attribute '_fields'").
  const listValue = await inject(bug([{ type: 'find_and_replace', pattern: { node_type: 'Assign' }, replacement: { type: 'replace_value_with', source: 'node.targets' } }]), onY);
  assert.deepEqual(listValue, { ok: false, output: null, error: "AttributeError: 'list' object has no attribute '_fields'" });
  // A string in an expression's place: the engine raises before it ever unparses.
  const stringValue = await inject(bug([{ type: 'find_and_replace', pattern: { node_type: 'BinOp' }, replacement: { type: 'replace_with', source: 'node.left.id' } }]), onY);
  assert.deepEqual(stringValue, { ok: false, output: null, error: "AttributeError: 'str' object has no attribute '_fields'" });
});

test('a replaced module that is no longer a node raises in ast.fix_missing_locations, as in the engine', async () => {
  const removed = await inject(bug([{ type: 'find_and_replace', pattern: { node_type: 'Module' }, replacement: { type: 'delete_statement' } }]), onY);
  assert.equal(removed.error, "AttributeError: 'NoneType' object has no attribute '_attributes'");
});

test('the canonical copy raises where the target def lost what the Canonicalizer reads (args, arg names)', async () => {
  const argumentsGone = await inject(bug([{ type: 'find_and_replace', pattern: { node_type: 'arguments' }, replacement: { type: 'delete_statement' } }]), onY);
  assert.equal(argumentsGone.error, "AttributeError: 'FunctionDef' object has no attribute 'args'");
  const argAsText = await inject(bug([{ type: 'find_and_replace', pattern: { node_type: 'arg' }, replacement: { type: 'replace_with', source: 'node.arg' } }]), onY);
  assert.equal(argAsText.error, "AttributeError: 'str' object has no attribute 'arg'");
});

test('replace_value_with keeps the position of any node kind (ast.copy_location), not only Assign and Return', async () => {
  // The AugAssign keeps column 4; fix_missing_locations would have given it its parent's column 0.
  const result = await inject(
    bug([
      { type: 'find_and_replace', pattern: { node_type: 'AugAssign' }, replacement: { type: 'replace_value_with', source: '2' } },
      { type: 'find_and_track', pattern: { node_type: 'AugAssign' }, track_as: { col: 'node.col_offset' } },
      { type: 'find_and_replace', pattern: { node_type: 'Return', col_offset: { from_context: 'col' } }, replacement: { type: 'replace_value_with', source: '0' } },
    ]),
    'def f(a):\n    a += 1\n    return a\n',
  );
  assert.deepEqual(result, { ok: true, output: 'def f(a):\n    a += 2\n    return 0' });
});

test("the Canonicalizer's mapping and counter carry over from one canonical copy to the next, as the engine reuses one instance", async () => {
  // First copy: module-level `y` is _var0. After the replace pass, the copy starts with the
  // counter f left (1): `y` is _var1, so no `_var0 = <constant>` exists and the last pass fails.
  const src = 'y = 5\ndef f(a):\n    b = a + 1\n    return b\n';
  const result = await injectExplained(
    bug([
      { type: 'find_and_replace', pattern: { node_type: 'BinOp', op: 'Add' }, replacement: { type: 'replace_with', source: 'node.left' } },
      { type: 'find_and_track', pattern: { node_type: 'Assign', targets: [{ node_type: 'Name', id: '_var0' }], value: { node_type: 'Constant' } }, track_as: { v: 'node.value.value' } },
      { type: 'find_and_replace', pattern: { node_type: 'Assign', value: { node_type: 'Constant', value: { from_context: 'v' } } }, replacement: { type: 'replace_value_with', source: '7' } },
    ]),
    src,
  );
  assert.deepEqual([result.ok, result.output], [false, src]);
  assert.match(result.reason ?? '', /pass 3/);
});
