import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { bugContextFrom, generatorContextFor, type SourcePair } from './synth-fixture.js';

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
const types = (definition: BugDefinition) => definition.logic.map((p) => p.type);

test('a look-alike in another function: the edit is pinned to the target function by its arguments', async () => {
  const result = await generated({
    reference: 'import torch\n\ndef silu(x):\n    return x * torch.sigmoid(x)\n\ndef gelu(x):\n    return x * torch.sigmoid(1.702 * x)\n',
    patched: 'import torch\n\ndef silu(x):\n    return torch.sigmoid(x)\n\ndef gelu(x):\n    return x * torch.sigmoid(1.702 * x)\n',
  });
  assert.deepEqual(types(result.definition), ['find_and_track', 'find_and_replace']);
  assert.match(JSON.stringify(result.definition.logic[0]!.pattern), /"id":"_arg0"/, 'confined by the canonical first argument');
  assert.deepEqual(result.definition.logic[1]!.pattern!.lineno, { from_context: 'site1_line' });
  assert.doesNotMatch(JSON.stringify(result.definition.logic), /"id":"x"/, "the author's argument name appears nowhere");
  assert.deepEqual(outcomes(result), {
    'renamed-locals': 'exact',
    moved: 'exact',
    'renamed-arguments': 'exact',
    'extra-assignment': 'exact',
    'extra-assignment-top': 'exact',
    lookalike: 'exact',
    // Keeping `node.right` is not right for `torch.sigmoid(x) * x`, nor when the student holds
    // `torch.sigmoid(x)` in a variable: loud, never another bug.
    'subexpression-extracted': 'no-match',
    'spelled-commuted': 'no-match',
  });
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
