import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugDefinition, LogicPass } from '../../src/injector/definition.js';
import { prepareDefinition } from '../../src/injector/inject.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { checkTransfer, referenceBoundNames, type TransferReport } from '../../src/transfer/check-transfer.js';
import { parsePython } from '../../src/python/python-ast.js';
import { createVariantSource } from '../../src/transfer/student-variants.js';
import { PROPERTY_CLASS, PROPERTY_CLASS_PATCHED } from './property-class.js';

// One bug (`norm` forgets the square root) and definitions of it written three ways: confined
// to its site, unconfined, and written with the reference's own names. Each is exact on the
// reference; the student-style variants tell them apart.

const REFERENCE = `import math


def norm(values, eps):
    total = sum([v * v for v in values])
    shifted = total + eps
    root = math.sqrt(shifted)
    return root


def rms(values):
    mean = sum([v * v for v in values]) / len(values)
    return math.sqrt(mean)
`;
const PATCHED = REFERENCE.replace('root = math.sqrt(shifted)', 'root = shifted');

function definition(logic: LogicPass[]): BugDefinition {
  return { id: 'norm-no-sqrt', description: 'norm forgets the square root', injection_type: 'ast', engine_version: '2.1', target_function: 'norm', logic };
}

async function transferOf(bug: BugDefinition): Promise<TransferReport> {
  const python = sharedPythonRuntime();
  const variants = await createVariantSource(python).variantsFor(REFERENCE, PATCHED);
  assert.ok(!('error' in variants));
  return checkTransfer(await prepareDefinition(bug, python), variants);
}

/** The outcomes on the variants these tests were written for (later kinds are tested with the synthesized ladders). */
const FIRST_KINDS = new Set(['renamed-locals', 'moved', 'renamed-arguments', 'extra-assignment', 'helper-extracted', 'lookalike']);
const outcomes = (report: TransferReport) => Object.fromEntries(report.variants.filter((v) => FIRST_KINDS.has(v.kind)).map((v) => [v.kind, v.outcome]));
const exactAmongFirst = (report: TransferReport) => report.variants.filter((v) => FIRST_KINDS.has(v.kind) && v.outcome === 'exact').length;

const sqrtCall = { node_type: 'Call', func: { node_type: 'Attribute', value: { node_type: 'Name', id: 'math' }, attr: 'sqrt' } };

test('a definition pinned by canonical names transfers to every variant', async () => {
  const pinned = definition([
    {
      pass: 1,
      type: 'find_and_track',
      description: 'the square root of the shifted total, in norm',
      pattern: { ...sqrtCall, args: [{ node_type: 'Name', id: '_var1' }] },
      track_as: { line: 'node.lineno', col: 'node.col_offset' },
    },
    {
      pass: 2,
      type: 'find_and_replace',
      description: 'its argument instead',
      pattern: { ...sqrtCall, lineno: { from_context: 'line' }, col_offset: { from_context: 'col' } },
      replacement: { type: 'replace_with', source: 'node.args[0]' },
    },
  ]);
  const report = await transferOf(pinned);
  assert.deepEqual(outcomes(report), {
    'renamed-locals': 'exact',
    moved: 'exact',
    'renamed-arguments': 'exact',
    'extra-assignment': 'exact',
    'helper-extracted': 'exact',
    lookalike: 'exact',
  });
  assert.equal(exactAmongFirst(report), 6);
  assert.equal(report.total, report.variants.length);
  // One track, no ladder: a student with one more assignment at the top gets a loud no-match, never another bug.
  assert.equal(report.variants.find((v) => v.kind === 'extra-assignment-top')?.outcome, 'no-match');
  assert.equal(report.worst, 'no-match');
  assert.equal(report.referenceBound, undefined);

  // Pinned by the changed statement's own `_varN`: a student's extra assignment just before it
  // shifts the numbering, and the definition then fails loudly rather than hitting something else.
  const byOwnTarget = structuredClone(pinned);
  byOwnTarget.logic[0]!.pattern = { node_type: 'Assign', targets: [{ node_type: 'Name', id: '_var2' }], value: sqrtCall };
  byOwnTarget.logic[0]!.track_as = { line: 'node.value.lineno', col: 'node.value.col_offset' };
  const fragile = await transferOf(byOwnTarget);
  assert.equal(outcomes(fragile)['extra-assignment'], 'no-match');
  assert.equal(fragile.worst, 'no-match');
  assert.equal(exactAmongFirst(fragile), 5);
});

test('an unconfined definition is silently wrong on a look-alike in another function, and says where', async () => {
  const unconfined = definition([
    {
      pass: 1,
      type: 'find_and_replace',
      description: 'every assignment of a square root',
      pattern: { node_type: 'Assign', value: sqrtCall },
      replacement: { type: 'replace_value_with', source: 'node.value.args[0]' },
    },
  ]);
  const report = await transferOf(unconfined);
  assert.equal(outcomes(report).lookalike, 'wrong');
  assert.equal(outcomes(report)['renamed-locals'], 'exact');
  assert.equal(report.worst, 'wrong');
  assert.match(report.variants.find((v) => v.kind === 'lookalike')!.reason!, /changes `norm_lookalike` differently from the patch/);
});

test('a literal written with the reference\'s names is reference-bound: wrong where names differ, unless the pattern requires them', async () => {
  const literal = (pattern: Record<string, unknown>) =>
    definition([{ pass: 1, type: 'find_and_replace', description: 'the value becomes `shifted`', pattern, replacement: { type: 'replace_value_with', source: 'shifted' } }]);
  const bare = await transferOf(literal({ node_type: 'Assign', value: { ...sqrtCall, args: [{ node_type: 'Name' }] } }));
  assert.deepEqual(bare.referenceBound, ['shifted']);
  assert.equal(outcomes(bare)['renamed-locals'], 'wrong');
  assert.match(bare.variants.find((v) => v.kind === 'renamed-locals')!.reason!, /uses `shifted`, which the student's file never defines/);

  const guarded = await transferOf(literal({ node_type: 'Assign', value: { ...sqrtCall, args: [{ node_type: 'Name', id: 'shifted' }] } }));
  assert.deepEqual(guarded.referenceBound, ['shifted']);
  assert.equal(outcomes(guarded)['renamed-locals'], 'no-match', 'the pattern requires the name: a loud no-match');
  assert.equal(outcomes(guarded).moved, 'exact');
});

test('a class with a property getter and setter: each side compared with its own counterpart, the reason names only the look-alike', async () => {
  const python = sharedPythonRuntime();
  const variants = await createVariantSource(python).variantsFor(PROPERTY_CLASS, PROPERTY_CLASS_PATCHED);
  assert.ok(!('error' in variants));
  const bug = (logic: LogicPass[]): BugDefinition => ({ ...definition(logic), target_function: 'step' });
  const negation = { node_type: 'UnaryOp', op: 'USub' };
  const pinned = await prepareDefinition(
    bug([
      { pass: 1, type: 'find_and_track', description: 'the negated value in step', pattern: { node_type: 'Assign', targets: [{ node_type: 'Name', id: '_var1' }], value: negation }, track_as: { line: 'node.value.lineno', col: 'node.value.col_offset' } },
      { pass: 2, type: 'find_and_replace', description: 'not negated', pattern: { ...negation, lineno: { from_context: 'line' }, col_offset: { from_context: 'col' } }, replacement: { type: 'replace_with', source: 'node.operand' } },
    ]),
    python,
  );
  const confined = checkTransfer(pinned, variants);
  assert.deepEqual(outcomes(confined), { 'renamed-locals': 'exact', moved: 'exact', 'renamed-arguments': 'exact', 'extra-assignment': 'no-match', 'helper-extracted': 'exact', lookalike: 'exact' });

  const unconfined = checkTransfer(await prepareDefinition(bug([{ pass: 1, type: 'find_and_replace', description: 'every negation', pattern: negation, replacement: { type: 'replace_with', source: 'node.operand' } }]), python), variants);
  assert.equal(unconfined.variants.find((v) => v.kind === 'lookalike')!.reason, 'changes `Opt.step_lookalike` differently from the patch');
});

test("reference-bound names are judged in the function the literal is written into: its parameters and locals, whatever the module binds", async () => {
  const python = sharedPythonRuntime();
  const module = 'import math\n\nvalues = []\n\ndef scale(self, values, id):\n    total = sum(values)\n    return total\n\nif __name__ == "__main__":\n    total = 0\n';
  const parsed = await parsePython(python, module);
  assert.ok(parsed.ok);
  const literal = 'sum([v * id for v in values]) + self.k + math.pi + total';
  const prepared = await prepareDefinition(
    { ...definition([{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Return' }, replacement: { type: 'replace_value_with', source: literal } }]), target_function: 'scale' },
    python,
  );
  // `values` and `total` are also module names, `id` a builtin: in `scale` they are its own.
  // The comprehension's `v`, `self`, the module's `math` and the builtin `sum` are not the reference's.
  assert.deepEqual(referenceBoundNames(prepared, parsed.tree).sort(), ['id', 'total', 'values']);
});
