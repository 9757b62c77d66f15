import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainNoMatch, sketchPattern } from '../../src/injector/explain-no-match.js';
import { prepareDefinition } from '../../src/injector/inject.js';
import { parsePython } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';

// Why a definition injects nothing: the pass that found nothing, what the file lacks there, and
// the nearest statement of the target function with its line.

const python = sharedPythonRuntime();
const scaled = (index: number) => ({
  node_type: 'Assign',
  targets: [{ node_type: 'Name', id: `_var${index}` }],
  value: { node_type: 'BinOp', op: 'Div', right: { node_type: 'Call', func: { node_type: 'Attribute', value: { node_type: 'Name', id: 'math' }, attr: 'sqrt' } } },
});
const definition = {
  id: 'attention-missing-scale',
  injection_type: 'ast',
  target_function: 'attend',
  logic: [
    { pass: 1, type: 'find_and_track', description: 'rung', pattern: scaled(2), track_as: { site_line: 'node.lineno', site_col: 'node.col_offset' } },
    { pass: 2, type: 'find_and_track', description: 'own reading', pattern: scaled(1), track_as: { site_line: 'node.lineno', site_col: 'node.col_offset' } },
    { pass: 3, type: 'find_and_replace', description: 'delete', pattern: { node_type: 'Assign', lineno: { from_context: 'site_line' }, col_offset: { from_context: 'site_col' } }, replacement: { type: 'delete_statement' } },
  ],
};

async function explain(source: string) {
  const prepared = await prepareDefinition(definition, python);
  const parsed = await parsePython(python, source);
  assert.ok(parsed.ok);
  return explainNoMatch(prepared, parsed.tree, source);
}

test('a ladder that found nothing: the own reading is explained, the rungs named, the nearest statement quoted with its line and what it lacks', async () => {
  const source = 'import math\n\ndef attend(q, k):\n    d = q.shape[-1]\n    att = q @ k\n    att = att * (1.0 / d)\n    return att\n';
  const explanation = await explain(source);
  assert.ok(explanation);
  assert.equal(explanation.pass, 3);
  assert.deepEqual(explanation.explained, { pass: 2, type: 'find_and_track', description: 'own reading' });
  assert.deepEqual(explanation.alsoFoundNothing, [1, 1]);
  assert.equal(explanation.lookingFor, '_var1 = … / math.sqrt(…)');
  assert.deepEqual(explanation.legend, ['`_var1`: the 2nd name the function assigns']);
  assert.equal(explanation.targetFunction, 'attend');
  assert.equal(explanation.nearest?.line, 5);
  assert.equal(explanation.nearest?.code, 'att = q @ k');
  assert.equal(explanation.nearest?.canonical, '_var1');
  assert.deepEqual(explanation.missing, { path: 'value.op', expected: 'the operator Div', found: 'MatMult' });
  assert.match(explanation.message, /^pass 2 looks for `_var1 = … \/ math\.sqrt\(…\)` .* and finds nothing, as did pass 1 \(the same site at other positions\).*; nearest here: line 5 `att = q @ k` \(`_var1`\), which lacks the operator Div at `value\.op` \(it has MatMult\)$/);
  assert.deepEqual(JSON.parse(JSON.stringify(explanation)), explanation, 'JSON-safe: cached with verdicts and printed by check --format json');
});

test('a file the definition injects into has nothing to explain', async () => {
  assert.equal(await explain('import math\n\ndef attend(q, k):\n    d = q.shape[-1]\n    att = q @ k\n    att = att / math.sqrt(d)\n    return att\n'), undefined);
});

test('a replace pass that matches nothing with its context set is explained itself', async () => {
  const prepared = await prepareDefinition(
    { id: 'x', injection_type: 'ast', target_function: 'f', logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Return', value: { node_type: 'BinOp', op: 'Mult' } }, replacement: { type: 'replace_with', source: 'node.value.left' } }] },
    python,
  );
  const source = 'def f(v, k):\n    return v + k\n';
  const parsed = await parsePython(python, source);
  assert.ok(parsed.ok);
  const explanation = explainNoMatch(prepared, parsed.tree, source);
  assert.equal(explanation?.explained.type, 'find_and_replace');
  assert.equal(explanation?.nearest?.code, 'return v + k');
  assert.equal(explanation?.missing?.path, 'value.op');
  assert.match(explanation!.message, /pass 1 looks for `return … \* …` in `f` and matches nothing; nearest here: line 2/);
});

test('patterns sketched as code, with … for what they leave open', () => {
  assert.equal(sketchPattern({ node_type: 'Expr', value: { node_type: 'Call', func: { node_type: 'Attribute', value: { node_type: 'Name', id: 'optimizer' }, attr: 'zero_grad' } } }), 'optimizer.zero_grad(…)');
  assert.equal(sketchPattern({ node_type: 'Assign', targets: [{ node_type: 'Name', id: { from_context: 'name_norm' } }], value: {} }), '<name_norm> = …');
  assert.equal(sketchPattern({ node_type: 'AugAssign', op: 'Add', value: { node_type: 'Constant', value: 1 } }), '… += 1');
});

test('a spelling tracked after the own reading (a blocker) is not what is explained: the reading the file came nearest to is', async () => {
  const blocked = {
    ...definition,
    logic: [
      ...definition.logic.slice(0, 2),
      { pass: 3, type: 'find_and_track', description: 'augmented spelling', pattern: { node_type: 'AugAssign', target: { node_type: 'Name', id: '_var1' }, op: 'Div' }, track_as: { site_line: 'node.lineno', site_col: 'node.col_offset' } },
      { ...definition.logic[2]!, pass: 4 },
    ],
  };
  const prepared = await prepareDefinition(blocked, python);
  const source = 'import math\n\ndef attend(q, k):\n    d = q.shape[-1]\n    att = q @ k\n    att = att * (1.0 / d)\n    return att\n';
  const parsed = await parsePython(python, source);
  assert.ok(parsed.ok);
  const explanation = explainNoMatch(prepared, parsed.tree, source);
  assert.equal(explanation?.explained.pass, 2);
  assert.deepEqual(explanation?.alsoFoundNothing, [1, 3]);
});
