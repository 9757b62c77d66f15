import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnoseFailure } from '../../../plugins/openai/diagnose-failure.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { parsePython } from '../../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../../src/python/runtime.js';
import { verifyDefinition } from '../../../src/verify/verify-definition.js';

const REFERENCE = `def softmax(x, dim):
    m = x.max(dim=dim, keepdim=True).values
    shifted = x - m
    return shifted.exp() / shifted.exp().sum(dim=dim, keepdim=True)
`;
const PATCHED = REFERENCE.replace('shifted = x - m', 'shifted = x');

/** The track pass names the author's variable `m`, but track patterns see the canonical `_var0`. */
const AUTHOR_NAMES: BugDefinition = {
  id: 'softmax-no-max',
  description: 'd',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'softmax',
  logic: [
    {
      pass: 1,
      type: 'find_and_track',
      description: 'remember the max variable',
      pattern: { node_type: 'Assign', targets: [{ node_type: 'Name', id: 'm' }] },
      track_as: { max_name: 'node.targets[0].id' },
    },
    {
      pass: 2,
      type: 'find_and_replace',
      description: 'drop the subtraction',
      pattern: { node_type: 'Assign', value: { node_type: 'BinOp', op: 'Sub', right: { node_type: 'Name', id: { from_context: 'max_name' } } } },
      replacement: { type: 'replace_value_with', source: 'node.value.left' },
    },
  ],
};

test('an unset context variable is traced back to the track pass, with canonical candidates', async () => {
  const python = sharedPythonRuntime();
  const before = await parsePython(python, REFERENCE, { dedent: true });
  assert.ok(before.ok);
  const verification = await verifyDefinition(AUTHOR_NAMES, { reference: REFERENCE, patched: PATCHED }, python);
  assert.equal(verification.verdict, 'no-match');
  const text = diagnoseFailure({ kind: 'verify', definition: AUTHOR_NAMES, verification }, before.tree);
  assert.match(text, /pass 2 \(find_and_replace\) matched nothing/);
  assert.match(text, /Context variable "max_name" was never set: pass 1 \(find_and_track\) matched nothing/);
  assert.match(text, /closest Assign nodes in the canonical tree/);
  assert.match(text, /"id":"_var0"/);
  assert.match(text, /targets\[0\]\.id is "_var0", not "m"/);
  assert.match(text, /right\.id is "m"; context "max_name" is unset/);

  // With the canonical name the same definition is exact.
  const fixed = structuredClone(AUTHOR_NAMES);
  (fixed.logic[0]!.pattern!.targets as { id: string }[])[0]!.id = '_var0';
  assert.equal((await verifyDefinition(fixed, { reference: REFERENCE, patched: PATCHED }, python)).verdict, 'exact');
});

test('a missing target function lists the defs the file has', async () => {
  const python = sharedPythonRuntime();
  const before = await parsePython(python, REFERENCE, { dedent: true });
  assert.ok(before.ok);
  const definition = { ...AUTHOR_NAMES, target_function: 'soft_max' };
  const verification = await verifyDefinition(definition, { reference: REFERENCE, patched: PATCHED }, python);
  const text = diagnoseFailure({ kind: 'verify', definition, verification }, before.tree);
  assert.match(text, /the file defines: softmax/);
});

test('deleting the only statement of a body is explained', async () => {
  const python = sharedPythonRuntime();
  const reference = 'def step(opt, loss):\n    if loss:\n        opt.zero_grad()\n    return loss\n';
  const before = await parsePython(python, reference, { dedent: true });
  assert.ok(before.ok);
  const definition: BugDefinition = {
    id: 'x', description: 'd', injection_type: 'ast', engine_version: '2.1', target_function: 'step',
    logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Expr' }, replacement: { type: 'delete_statement' } }],
  };
  const verification = await verifyDefinition(definition, { reference, patched: 'def step(opt, loss):\n    return loss\n' }, python);
  assert.equal(verification.verdict, 'error');
  assert.match(diagnoseFailure({ kind: 'verify', definition, verification }, before.tree), /left a body empty/);
});
