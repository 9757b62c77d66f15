import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { inject } from '../../../src/injector/inject.js';
import { sameTree } from '../../../src/python/tree.js';
import { bugContextFrom, generatorContextFor, parseModule, type SourcePair } from './synth-fixture.js';

// Synthesis with the student-style variants in the loop: among the definitions exact on the
// reference it keeps the one that transfers best, and it never keeps one that is silently wrong.

async function generated(pair: SourcePair): Promise<Extract<GeneratorResult, { status: 'generated' }>> {
  const bug = await bugContextFrom(pair);
  const result = await synthGenerator().generate(bug, generatorContextFor(bug));
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  return result as Extract<GeneratorResult, { status: 'generated' }>;
}

const outcomes = (result: Extract<GeneratorResult, { status: 'generated' }>) =>
  Object.fromEntries((result.verification.transfer?.variants ?? []).map((v) => [v.kind, v.outcome]));
/** Pass types, a guard that changes nothing (`replace_with: node`, e.g. a ladder's confirmation) as `guard`. */
const types = (definition: BugDefinition) => definition.logic.map((p) => (p.type === 'find_and_replace' && p.replacement?.source === 'node' ? 'guard' : p.type));
/** The reference's own reading of site n: the last track that records its position (a confirming reading records where it ends). */
const ownReading = (definition: BugDefinition, site = 1) => definition.logic.filter((p) => p.type === 'find_and_track' && `site${site}_line` in (p.track_as ?? {})).at(-1)!;

/** The definition injects into a student's file exactly the student's version of the bug. */
async function injectsExactly(definition: BugDefinition, student: string, expected: string): Promise<void> {
  const injected = await inject(definition, student);
  assert.ok(injected.ok, `${JSON.stringify(injected)}\n${JSON.stringify(definition.logic)}`);
  assert.ok(sameTree(await parseModule(injected.output!), await parseModule(expected)), injected.output!);
}

/** RMSNorm's forward, whose `torch.mean(…)` call is confined only through `self.eps` around it (`x` is reassigned). */
const NORM_REFERENCE = [
  'import torch',
  '',
  'class Norm:',
  '    def forward(self, x):',
  '        x = x.float()',
  '        rms = torch.sqrt(torch.mean(x ** 2, dim=-1, keepdim=True) + self.eps)',
  '        return x / rms',
  '',
].join('\n');

test('a look-alike in another function: the edit is pinned to the target function by its arguments', async () => {
  const result = await generated({
    reference: 'import torch\n\ndef silu(x):\n    return x * torch.sigmoid(x)\n\ndef gelu(x):\n    return x * torch.sigmoid(1.702 * x)\n',
    patched: 'import torch\n\ndef silu(x):\n    return torch.sigmoid(x)\n\ndef gelu(x):\n    return x * torch.sigmoid(1.702 * x)\n',
  });
  // A rung for `silu` written as a method (`_arg1`), one for `torch.sigmoid(x)` held in a variable,
  // then the reference's own reading; all again in the other order, and the guard that they
  // found one place; then the replace.
  assert.deepEqual(types(result.definition), ['find_and_track', 'find_and_track', 'find_and_track', 'find_and_track', 'find_and_track', 'find_and_track', 'guard', 'find_and_replace']);
  assert.match(JSON.stringify(result.definition.logic[0]!.pattern), /"id":"_arg1"/, 'the method reading: `self` first');
  assert.equal(ownReading(result.definition), result.definition.logic[2]);
  assert.match(JSON.stringify(result.definition.logic[2]!.pattern), /"id":"_arg0"/, 'confined by the canonical first argument');
  assert.deepEqual(result.definition.logic[7]!.pattern!.lineno, { from_context: 'site1_line' });
  assert.doesNotMatch(JSON.stringify(result.definition.logic), /"id":"x"/, "the author's argument name appears nowhere");
  assert.deepEqual(outcomes(result), {
    'renamed-locals': 'exact',
    moved: 'exact',
    'renamed-arguments': 'exact',
    'extra-assignment': 'exact',
    'extra-assignment-top': 'exact',
    lookalike: 'exact',
    // Keeping `node.right` keeps the variable that holds `torch.sigmoid(x)`, but it is not right
    // for `torch.sigmoid(x) * x`: loud, never another bug.
    'subexpression-extracted': 'exact',
    'spelled-commuted': 'no-match',
    'as-method': 'exact',
  });
});

test('two statements that differ only by which argument they read: the argument\'s place in the signature singles the site out (it cannot slide), so the pin confines it', async () => {
  // `result.extend(left[i:])` and `result.extend(right[j:])` are the same shape once every
  // canonical index is ignored; an `_argN` is numbered by the signature, which no assignment a
  // student adds can shift, so `_arg1` still tells them apart, and the look-alike copy of the
  // function in a student's file is left alone.
  const reference = [
    'def merge(left, right):',
    '    result = []',
    '    i = j = 0',
    '    while i < len(left) and j < len(right):',
    '        if left[i] <= right[j]:',
    '            result.append(left[i])',
    '            i += 1',
    '        else:',
    '            result.append(right[j])',
    '            j += 1',
    '    result.extend(left[i:])',
    '    result.extend(right[j:])',
    '    return result',
    '',
  ].join('\n');
  const result = await generated({ reference, patched: reference.replace('    result.extend(right[j:])\n', '') });
  assert.match(JSON.stringify(ownReading(result.definition).pattern), /"id":"_arg1"/);
  assert.doesNotMatch(JSON.stringify(result.definition.logic), /"id":"right"/, "the author's argument name appears nowhere");
  assert.equal(outcomes(result).lookalike, 'exact');
  assert.equal(outcomes(result)['renamed-arguments'], 'exact');
  // Written as a method, `right` is `_arg2`: `_arg1` one place later would read `left` as the site, so no such reading.
  assert.equal(outcomes(result)['as-method'], 'no-match');
  assert.notEqual(result.verification.transfer!.worst, 'wrong');
});

test('a site confined by an argument, in a function of the module: one more reading finds it in the function written as a method (`self` first)', async () => {
  const source = (loop: string) => `def climb(n):
    ways = [1] * (n + 1)
    for i in range(2, ${loop}):
        ways[i] = ways[i - 1] + ways[i - 2]
    return ways[n]
`;
  const result = await generated({ reference: source('n + 1'), patched: source('n') });
  assert.equal(outcomes(result)['as-method'], 'exact');
  assert.match(JSON.stringify(result.definition.logic[0]!.pattern), /"id":"_arg1"/, 'the method reading first, the reference\'s own last');
  const asMethod = (loop: string) => `class Solution:\n    def climb(self, n):\n        ways = [1] * (n + 1)\n        for i in range(2, ${loop}):\n            ways[i] = ways[i - 1] + ways[i - 2]\n        return ways[n]\n`;
  await injectsExactly(result.definition, asMethod('n + 1'), asMethod('n'));
  await injectsExactly(result.definition, source('n + 1'), source('n'));
});

test('a deleted element is tracked as an element of its container: a student who holds it in a variable gets a loud no-match, not a hole', async () => {
  const reference = 'def save(model, opt, step):\n    return {"model": model.state_dict(), "opt": opt.state_dict(), "step": int(step)}\n';
  const result = await generated({ reference, patched: reference.replace(' "opt": opt.state_dict(),', '') });
  const tracks = result.definition.logic.filter((p) => p.type === 'find_and_track');
  assert.ok(tracks.length >= 2);
  // Tracking `_arg1.state_dict()` alone would also find `o = opt.state_dict()`, and deleting that value breaks the assignment.
  assert.deepEqual([...new Set(tracks.map((p) => p.pattern!.node_type))], ['Dict']);
  assert.notEqual(result.verification.transfer!.worst, 'wrong');
  // The element is right to delete however it is spelled: the one held in a variable goes too.
  const student = 'def save(model, opt, step):\n    o = opt.state_dict()\n    return {"model": model.state_dict(), "opt": o, "step": int(step)}\n';
  await injectsExactly(result.definition, student, student.replace(' "opt": o,', ''));
});

test('a site tracked through its enclosing expression is also tracked by itself: a student who computes it in a statement of its own gets the bug', async () => {
  const reference = NORM_REFERENCE;
  const result = await generated({ reference, patched: reference.replace(', keepdim=True', '') });
  const student = reference.replace('        rms = torch.sqrt(torch.mean(x ** 2, dim=-1, keepdim=True) + self.eps)', '        ms = torch.mean(x ** 2, dim=-1, keepdim=True)\n        rms = torch.sqrt(ms + self.eps)');
  await injectsExactly(result.definition, student, student.replace(', keepdim=True', ''));
  // The reference's own reading (through `self.eps`) is the last track, so it wins where both find the site.
  assert.match(JSON.stringify(ownReading(result.definition).pattern), /"attr":"eps"/);
  assert.notEqual(result.verification.transfer!.worst, 'wrong');
});

test('a call of the site held in a variable of its own: one more rung reads it as any name where the rest still confines the site, and the replace keeps it whole', async () => {
  const reference = 'import torch\n\ndef silu(x):\n    return x * torch.sigmoid(x)\n';
  const result = await generated({ reference, patched: 'import torch\n\ndef silu(x):\n    return torch.sigmoid(x)\n' });
  const student = 'import torch\n\ndef silu(values):\n    gate = torch.sigmoid(values)\n    return values * gate\n';
  await injectsExactly(result.definition, student, 'import torch\n\ndef silu(values):\n    gate = torch.sigmoid(values)\n    return gate\n');
  assert.equal(outcomes(result)['subexpression-extracted'], 'exact');
  // The held reading runs before the reference's own, which wins where both match.
  const held = result.definition.logic.findIndex((p) => /held in a variable of its own/.test(p.description ?? ''));
  assert.ok(held >= 0 && held < result.definition.logic.indexOf(ownReading(result.definition)));
  assert.match(JSON.stringify(ownReading(result.definition).pattern), /"attr":"sigmoid"/);
});

test('`x = x + y` changed as a whole: a student who wrote `x += y` gets a loud no-match, not the change on a later `x = x + z`', async () => {
  const reference = 'class Block:\n    def forward(self, x):\n        a = self.attn(self.norm1(x), self.heads)\n        x = x + a\n        f = self.ffn(self.norm2(x))\n        x = x + f\n        return x\n';
  const result = await generated({ reference, patched: reference.replace('x = x + a', 'x = a') });
  const last = ownReading(result.definition);
  assert.equal(last.pattern!.node_type, 'AugAssign', 'the augmented spelling is tracked after the own reading');
  assert.equal(outcomes(result)['spelled-augmented'], 'no-match');
  assert.equal(outcomes(result)['helper-extracted'], 'exact');
  const augmented = reference.replace('x = x + a', 'x += a');
  const injected = await inject(result.definition, augmented);
  assert.equal(injected.ok, false, injected.output ?? '');
});

test("a name recorded by relation is read through each canonical name of the statement that uses it: a student who inlined one of them (`p.grad` for `grad`) still has the others", async () => {
  const reference = [
    'def step(params, betas, lr):',
    '    for p in params:',
    '        beta1, beta2 = betas',
    '        grad = p.grad',
    '        m = p.state',
    '        m.mul_(beta1).add_(grad, alpha=1 - beta1)',
    '        correction = 1 - beta1 ** p.t',
    '        correction2 = 1 - beta2 ** p.t',
    '        p.data.add_(m, alpha=-lr / correction / correction2)',
    '',
  ].join('\n');
  const patch = (code: string) => code.replace(/ {8}correction = .*\n/, '').replace('-lr / correction / correction2', '-lr / correction2');
  const result = await generated({ reference, patched: patch(reference) });
  assert.match(JSON.stringify(result.definition.logic), /another of its canonical names/);
  const student = reference.replace('        grad = p.grad\n', '').replace('add_(grad,', 'add_(p.grad,').replace(/beta1/g, 'b1').replace(/beta2/g, 'b2');
  await injectsExactly(result.definition, student, patch(student));
});

test('a keyword dropped from a call is dropped however the call is spelled, where what encloses it still singles the site out', async () => {
  const reference = NORM_REFERENCE;
  const result = await generated({ reference, patched: reference.replace(', keepdim=True', '') });
  const student = reference.replace('torch.mean(x ** 2, dim=-1, keepdim=True)', 'x.pow(2).mean(dim=-1, keepdim=True)');
  await injectsExactly(result.definition, student, student.replace(', keepdim=True', ''));
  assert.notEqual(result.verification.transfer!.worst, 'wrong');
});

test('operands of `*` swapped inside the part a replacement keeps whole: one more rung reads them the other way round', async () => {
  const reference = 'import math\n\ndef schedule(t, lo, hi, n):\n    progress = t / n\n    decay = 0.5 * (1.0 + math.cos(math.pi * progress))\n    return lo + (hi - lo) * decay\n';
  const result = await generated({ reference, patched: reference.replace('0.5 * (1.0 + math.cos(math.pi * progress))', 'math.cos(math.pi * progress)') });
  const student = reference.replace('math.pi * progress', 'progress * math.pi');
  await injectsExactly(result.definition, student, student.replace('0.5 * (1.0 + math.cos(progress * math.pi))', 'math.cos(progress * math.pi)'));
  assert.notEqual(result.verification.transfer!.worst, 'wrong');
});

test('a literal that needs the reference\'s local name: the pattern requires it, so other names fail loudly (never wrong)', async () => {
  const result = await generated({
    reference: 'import torch\n\ndef batch(data, b):\n    n = len(data) - 1\n    return torch.randint(low=0, high=n, size=(b,))\n',
    patched: 'import torch\n\ndef batch(data, b):\n    n = len(data) - 1\n    return torch.randint(low=0, high=n + 1, size=(b,))\n',
  });
  const transfer = result.verification.transfer!;
  assert.deepEqual(transfer.referenceBound, ['n']);
  assert.notEqual(transfer.worst, 'wrong');
  assert.equal(outcomes(result)['renamed-locals'], 'no-match');
  assert.equal(outcomes(result).moved, 'exact');
  assert.match(JSON.stringify(result.definition.logic.at(-1)!.pattern), /"id":"n"/);
});

test("a literal that needs the function's local is reference-bound even when the module's `__main__` block binds the same name", async () => {
  const main = '\nif __name__ == "__main__":\n    n = 10\n    print(batch(list(range(n)), 2))\n';
  const result = await generated({
    reference: `import torch\n\ndef batch(data, b):\n    n = len(data) - 1\n    return torch.randint(low=0, high=n, size=(b,))\n${main}`,
    patched: `import torch\n\ndef batch(data, b):\n    n = len(data) - 1\n    return torch.randint(low=0, high=n + 1, size=(b,))\n${main}`,
  });
  const transfer = result.verification.transfer!;
  assert.deepEqual(transfer.referenceBound, ['n']);
  assert.notEqual(transfer.worst, 'wrong');
  assert.equal(outcomes(result)['renamed-locals'], 'no-match');
  assert.match(JSON.stringify(result.definition.logic.at(-1)!.pattern), /"id":"n"/);
});

test('a literal that needs a name the edited code does not use: a guard pass checks it where the reference reads it', async () => {
  const result = await generated({
    reference: 'def build(width, height):\n    return make(rows=width, cols=height)\n\ndef make(rows, cols):\n    return [[0] * cols for _ in range(rows)]\n',
    patched: 'def build(width, height):\n    return make(rows=height, cols=height)\n\ndef make(rows, cols):\n    return [[0] * cols for _ in range(rows)]\n',
  });
  const guard = result.definition.logic.find((p) => p.replacement?.type === 'replace_with' && p.replacement.source === 'node');
  assert.ok(guard, `a no-op guard pass: ${JSON.stringify(result.definition.logic)}`);
  assert.equal(guard.pattern!.id, 'height');
  const transfer = result.verification.transfer!;
  assert.deepEqual(transfer.referenceBound, ['height']);
  assert.equal(outcomes(result)['renamed-arguments'], 'no-match', 'a student who renamed `height` gets no bug, not a NameError');
  assert.equal(outcomes(result)['renamed-locals'], 'exact');
  assert.notEqual(transfer.worst, 'wrong');
});

test('a deleted `self.n += 1` is found however it is spelled: a student who wrote `self.n = self.n + 1` gets the bug', async () => {
  const reference = 'class Counter:\n    def __init__(self, items):\n        self.n = 0\n        self.seen = []\n        for item in items:\n            self.seen.append(item)\n            self.n += 1\n';
  const result = await generated({ reference, patched: reference.replace('            self.n += 1\n', '') });
  assert.equal(outcomes(result)['spelled-augmented'], 'exact');
  const student = reference.replace('self.n += 1', 'self.n = self.n + 1');
  await injectsExactly(result.definition, student, student.replace('            self.n = self.n + 1\n', ''));
});
