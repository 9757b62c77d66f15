import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inject } from '../../src/index.js';

const source = 'def f(a, b):\n    c = a * b\n    return c + 1\n';
const bug = (logic: object[], extra: object = {}) => ({ id: 'x', injection_type: 'ast', target_function: 'f', logic, ...extra });
const replaceMult = { pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'BinOp', op: 'Mult' }, replacement: { type: 'replace_with', source: 'node.left' } };

test('inject returns the unparsed, modified source', async () => {
  const result = await inject(bug([replaceMult]), source);
  assert.deepEqual({ ok: result.ok, output: result.output, error: result.error }, { ok: true, output: 'def f(a, b):\n    c = a\n    return c + 1', error: undefined });
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
  const result = await inject(bug([replaceMult], { target_function: 'g' }), source);
  assert.equal(result.ok, false);
  assert.match(result.reason ?? '', /'g' not found/);
});
