import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyFilePatch } from '../../src/patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';
import { packageRoot } from '../../src/package-root.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { verifyDefinition } from '../../src/verify/verify-definition.js';
import { bothPythonBackends } from '../support/python-backends.js';

const python = sharedPythonRuntime();

const reference = `def f(opt, loss):
    if loss:
        opt.zero_grad()
    loss.backward()
    scaled = loss * 2  # a comment that must not matter
    return scaled
`;

function definition(pattern: object, replacement: object) {
  return {
    id: 't',
    description: 'test',
    injection_type: 'ast',
    engine_version: '2.1',
    target_function: 'f',
    logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern, replacement }],
  };
}

test('exact: the injected tree equals the patched tree; comments and formatting do not count', async () => {
  const patched = reference.replace('    scaled = loss * 2  # a comment that must not matter', '    scaled = (loss)   # BUG: no scaling');
  const v = await verifyDefinition(definition({ node_type: 'BinOp', op: 'Mult' }, { type: 'replace_with', source: 'node.left' }), { reference, patched }, python);
  assert.equal(v.verdict, 'exact', v.reason);
});

test('differs: it injects, but not the patched code; a unified diff shows how', async () => {
  const patched = reference.replace('loss * 2', 'loss');
  const v = await verifyDefinition(definition({ node_type: 'BinOp', op: 'Mult' }, { type: 'replace_with', source: 'node.right' }), { reference, patched, label: 'train.py' }, python);
  assert.equal(v.verdict, 'differs');
  assert.match(v.diff ?? '', /--- train\.py \(patched\)/);
  assert.match(v.diff ?? '', /^-    scaled = loss$/m);
  assert.match(v.diff ?? '', /^\+    scaled = 2$/m);
});

test('no-match: the injector finds nothing, and says which pass', async () => {
  const v = await verifyDefinition(definition({ node_type: 'BinOp', op: 'Div' }, { type: 'replace_with', source: 'node.left' }), { reference, patched: reference }, python);
  assert.equal(v.verdict, 'no-match');
  assert.match(v.reason ?? '', /pass 1 .*matched nothing/);
});

test('error: a schema-invalid definition, with readable paths', async () => {
  const bad = definition({ node_type: 'BinOp' }, { type: 'swap_operands' });
  const v = await verifyDefinition(bad, { reference, patched: reference }, python);
  assert.equal(v.verdict, 'error');
  assert.ok(v.schemaProblems?.some((p) => p.path === '/logic/0/replacement/type'));
});

test('error: output that is not valid Python (a body left empty)', async () => {
  const patched = reference.replace('        opt.zero_grad()\n', '');
  const v = await verifyDefinition(
    definition({ node_type: 'Expr', value: { node_type: 'Call', func: { node_type: 'Attribute', attr: 'zero_grad' } } }, { type: 'delete_statement' }),
    { reference, patched },
    python,
  );
  assert.equal(v.verdict, 'error');
  assert.match(v.reason ?? '', /not valid Python/);
});

const corpus = path.resolve(packageRoot, '..', 'shared', 'corpus');
for (const backend of bothPythonBackends()) {
  test(`the golden softmax definition is \`differs\`, the silu one \`exact\`, on ${backend.name}`, { skip: (!existsSync(corpus) && 'no ../shared/corpus') || backend.skip }, async () => {
    const cases = [
      ['softmax', 'no_subtract_max', 'utils.py', 'differs'],
      ['silu', 'missing_multiply', 'layers.py', 'exact'],
      ['rmsnorm', 'missing_keepdim', 'layers.py', 'exact'],
    ] as const;
    for (const [module, bug, file, expected] of cases) {
      const dir = path.join(corpus, 'curricula/cs336_a1/modules', module, 'bugs');
      const ref = readFileSync(path.join(corpus, 'modes/developer/cs336_basics', file), 'utf8');
      const patch = parseUnifiedDiff(readFileSync(path.join(dir, `${bug}.patch`), 'utf8'), bug);
      const patched = applyFilePatch(ref, patch, bug, file).text;
      const v = await verifyDefinition(JSON.parse(readFileSync(path.join(dir, `${bug}.json`), 'utf8')), { reference: ref, patched }, backend.python);
      assert.equal(v.verdict, expected, `${module}/${bug}: ${v.reason}`);
    }
  });
}
