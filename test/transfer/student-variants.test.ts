import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePython, unparsePython } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { sameTree, walk, type PyNode } from '../../src/python/tree.js';
import { createVariantSource, VARIANT_KINDS, type StudentVariants } from '../../src/transfer/student-variants.js';
import { expectedTextOf, variantOfKind, variantsOf } from './support/variants.js';
import { PROPERTY_CLASS, PROPERTY_CLASS_PATCHED } from './property-class.js';

// Student-style variants of a small reference: each transformation is applied to the reference
// and, the same way, to the patched reference (here the bug drops the square root in `norm`).

const REFERENCE = `import math


def scale(x, factor):
    """Scale x."""
    y = x * factor
    return y


def norm(values, eps):
    total = sum([v * v for v in values])
    shifted = total + eps
    root = math.sqrt(shifted)
    return root
`;
const PATCHED = REFERENCE.replace('root = math.sqrt(shifted)', 'root = shifted');

const variants = (reference = REFERENCE, patched = PATCHED): Promise<StudentVariants> => variantsOf(reference, patched);
const variant = variantOfKind;
const expectedText = expectedTextOf;

test('every kind applies to a file whose patch changes one function, and each variant is what CPython parses', async () => {
  const all = await variants();
  assert.deepEqual(all.variants.map((v) => v.kind).slice(0, 7), ['renamed-locals', 'moved', 'renamed-arguments', 'extra-assignment-top', 'extra-assignment', 'helper-extracted', 'lookalike']);
  // The restructured and respelled shapes apply where the file has what they need, else say why.
  assert.deepEqual(all.notApplicable.filter((n) => !n.reason), []);
  assert.deepEqual([...all.variants.map((v) => v.kind), ...all.notApplicable.map((n) => n.kind)].sort(), [...VARIANT_KINDS].sort());
  for (const v of all.variants) {
    const reparsed = await parsePython(sharedPythonRuntime(), v.source);
    assert.ok(reparsed.ok && sameTree(reparsed.tree, v.tree()), `${v.kind}: the tree is the parse of the source`);
    assert.ok(!sameTree(v.tree(), all.referenceTree), `${v.kind} changes something`);
  }
});

test('a variant\'s trees are built afresh on each call, positions and all as CPython parses the source: changing one changes nothing for the next caller', async () => {
  const all = await variants();
  for (const v of all.variants) {
    const reparsed = await parsePython(sharedPythonRuntime(), v.source);
    assert.ok(reparsed.ok);
    const first = v.tree();
    assert.equal(first.lineno === undefined, true, 'a module has no position');
    const positioned = [...walk(first)].filter((n) => n.lineno !== undefined);
    const parsedPositioned = [...walk(reparsed.tree)].filter((n) => n.lineno !== undefined);
    assert.deepEqual(
      positioned.map((n) => [n._type, n.lineno, n.col_offset, n.end_lineno, n.end_col_offset]),
      parsedPositioned.map((n) => [n._type, n.lineno, n.col_offset, n.end_lineno, n.end_col_offset]),
      `${v.kind}: every position is CPython's`,
    );
    (first.body as PyNode[]).length = 0;
    const expected = v.expected();
    (expected.body as PyNode[]).length = 0;
    assert.ok(sameTree(v.tree(), reparsed.tree), `${v.kind}: emptying one tree leaves the next whole`);
    assert.ok((v.expected().body as PyNode[]).length > 0, `${v.kind}: and the patched side too`);
  }
});

test('given the parse of both files, the variants use it instead of parsing again, and come out the same', async () => {
  const [reference, patched] = await Promise.all([parsePython(sharedPythonRuntime(), REFERENCE), parsePython(sharedPythonRuntime(), PATCHED)]);
  assert.ok(reference.ok && patched.ok);
  const given = await createVariantSource(sharedPythonRuntime()).variantsFor(REFERENCE, PATCHED, { reference: reference.tree, patched: patched.tree });
  const own = await variants();
  assert.ok(!('error' in given));
  assert.equal(given.referenceTree, reference.tree, 'the given reference tree is the one used');
  assert.deepEqual(
    given.variants.map((v) => [v.kind, v.source]),
    own.variants.map((v) => [v.kind, v.source]),
  );
  given.variants.forEach((v, i) => assert.deepEqual(v.expected(), own.variants[i]!.expected(), `${v.kind}: the same patched side`));
});

test('the variants of recent references are remembered, up to a number of files and an amount of source (the newest always)', async () => {
  const other = REFERENCE.replace('def scale', 'def rescale');
  const source = createVariantSource(sharedPythonRuntime(), { sourceChars: REFERENCE.length + other.length - 1 });
  const treeOf = async (reference: string) => {
    const built = await source.variantsFor(reference, reference.replace('root = math.sqrt(shifted)', 'root = shifted'));
    assert.ok(!('error' in built));
    return built.referenceTree;
  };
  const first = await treeOf(REFERENCE);
  assert.equal(await treeOf(REFERENCE), first, 'remembered');
  await treeOf(other);
  assert.notEqual(await treeOf(REFERENCE), first, 'both together are over the budget: the older was forgotten');
  const roomy = createVariantSource(sharedPythonRuntime(), { references: 2 });
  const kept = await (async () => {
    const built = await roomy.variantsFor(REFERENCE, PATCHED);
    assert.ok(!('error' in built));
    return built.referenceTree;
  })();
  await roomy.variantsFor(other, other.replace('root = math.sqrt(shifted)', 'root = shifted'));
  const again = await roomy.variantsFor(REFERENCE, PATCHED);
  assert.ok(!('error' in again) && again.referenceTree === kept, 'within both limits, still remembered');
});

test('renamed-locals: assigned names and comprehension targets renamed in every function, parameters kept, on both sides alike', async () => {
  const v = variant(await variants(), 'renamed-locals');
  for (const name of ['my_y', 'my_total', 'my_shifted', 'my_root', 'my_v']) assert.match(v.source, new RegExp(`\\b${name}\\b`));
  assert.match(v.source, /def scale\(x, factor\):/);
  assert.match(v.source, /def norm\(values, eps\):/);
  assert.doesNotMatch(v.source, /\btotal\b/);
  assert.match(await expectedText(v), /my_root = my_shifted/);
});

test('renamed-arguments: parameters renamed too, self and cls kept', async () => {
  const v = variant(await variants(), 'renamed-arguments');
  assert.match(v.source, /def norm\(values_in(: object)?, eps_in(: object)?\):/);
  assert.match(v.source, /my_shifted = my_total \+ eps_in/);
  const method = await variants('class A:\n\n    def f(self, x):\n        y = x + 1\n        return y\n', 'class A:\n\n    def f(self, x):\n        y = x\n        return y\n');
  assert.match(variant(method, 'renamed-arguments').source, /def f\(self, x_in(: object)?\):/);
});

test('moved: code added above, definitions in reverse order, docstrings and type hints toggled', async () => {
  const v = variant(await variants(), 'moved');
  const lines = v.source.split('\n');
  assert.equal(lines[0], 'import os');
  assert.ok(v.source.indexOf('def norm(') < v.source.indexOf('def scale('), 'functions in reverse order');
  assert.doesNotMatch(v.source, /Scale x/, 'an existing docstring dropped');
  assert.match(v.source, /def norm\(values: object, eps: object\):\n\s+"""Student's implementation."""/, 'a docstring and type hints added');
  assert.match(await expectedText(v), /root = shifted/);
});

test('extra-assignment: one more assignment right before the changed code, in both versions', async () => {
  const v = variant(await variants(), 'extra-assignment');
  assert.match(v.source, /shifted = total \+ eps\n\s+values_copy = values\n\s+root = math\.sqrt\(shifted\)/);
  assert.match(await expectedText(v), /values_copy = values\n\s+root = shifted/);
});

test('helper-extracted: an unchanged assignment before the change is computed by a new helper', async () => {
  const v = variant(await variants(), 'helper-extracted');
  assert.match(v.source, /def compute_shifted\(total, eps\):\n\s+return total \+ eps/);
  assert.match(v.source, /shifted = compute_shifted\(total, eps\)/);
  assert.match(await expectedText(v), /shifted = compute_shifted\(total, eps\)\n\s+root = shifted/);
});

test('lookalike: the changed code, unchanged, in another function; the patched side keeps it unchanged too', async () => {
  const v = variant(await variants(), 'lookalike');
  assert.match(v.source, /def norm_lookalike\(values, eps\):\n\s+root = math\.sqrt\(shifted\)/);
  assert.match(await expectedText(v), /def norm_lookalike\(values, eps\):\n\s+root = math\.sqrt\(shifted\)/);
});

test('a patch that changes no function: only the variants that need no changed function', async () => {
  const all = await variants('LIMIT = 10\n\ndef f(x):\n    return x\n', 'LIMIT = 11\n\ndef f(x):\n    return x\n');
  assert.deepEqual(all.variants.map((v) => v.kind), ['renamed-locals', 'moved', 'renamed-arguments', 'extra-assignment-top']);
  assert.deepEqual(all.notApplicable.map((n) => n.kind), VARIANT_KINDS.filter((k) => !['renamed-locals', 'moved', 'renamed-arguments', 'extra-assignment-top'].includes(k)));
});

test('a reference that does not parse is an error, not variants', async () => {
  const result = await createVariantSource(sharedPythonRuntime()).variantsFor('def f(:\n', 'def f():\n    pass\n');
  assert.deepEqual(result, { error: 'the reference does not parse' });
});

test('a property getter and setter share a name but are not conflated: the variants are built around the method the patch changes', async () => {
  const all = await variants(PROPERTY_CLASS, PROPERTY_CLASS_PATCHED);
  assert.deepEqual(all.notApplicable.filter((n) => ['extra-assignment', 'helper-extracted', 'lookalike'].includes(n.kind)), []);
  assert.match(variant(all, 'extra-assignment').description, /changed code of `Opt\.step`$/);
  assert.match(variant(all, 'helper-extracted').description, /`scaled = …` in `Opt\.step`/);
  const lookalike = variant(all, 'lookalike');
  assert.match(lookalike.source, /def step_lookalike\(self, grad\):\n\s+update = -scaled/);
  assert.doesNotMatch(lookalike.source, /lr_lookalike/);
  assert.match(await expectedText(lookalike), /def step\(self, grad\):\n\s+scaled = grad \* self\._lr\n\s+update = scaled[\s\S]*def step_lookalike\(self, grad\):\n\s+update = -scaled/);
});

test('lookalike-same-name: the changed method, unchanged, also a method of another class after its own, on both sides; a module function has none', async () => {
  const all = await variants(PROPERTY_CLASS, PROPERTY_CLASS_PATCHED);
  const twin = variant(all, 'lookalike-same-name');
  assert.match(twin.description, /`Opt\.step`, unchanged, also a method of another class `OptTwin`/);
  // The reference's method in the twin on both sides: the patched side keeps it unchanged.
  for (const text of [twin.source, await expectedText(twin)]) assert.match(text, /class OptTwin:\n\s+def step\(self, grad\):\n\s+scaled = grad \* self\._lr\n\s+update = -scaled/);
  assert.match(await expectedText(twin), /class Opt\b[\s\S]*update = scaled[\s\S]*class OptTwin/);
  assert.match((await variants()).notApplicable.find((n) => n.kind === 'lookalike-same-name')?.reason ?? '', /`norm` is no method/);
});

test('as-method: the changed function written as a method of a class (`self` first), on both sides; a method has no such variant', async () => {
  const v = variant(await variants(), 'as-method');
  assert.match(v.source, /class Solution:\n\s+def norm\(self, values, eps\):\n\s+total = sum/);
  assert.match(await expectedText(v), /class Solution:\n\s+def norm\(self, values, eps\):[\s\S]*root = shifted/);
  assert.match(v.source, /^def scale\(x, factor\):/m, 'the other functions stay where they are');
  assert.ok((await variants(PROPERTY_CLASS, PROPERTY_CLASS_PATCHED)).notApplicable.some((n) => n.kind === 'as-method'));
});
