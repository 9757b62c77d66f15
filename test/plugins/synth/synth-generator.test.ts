import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { validateDefinition } from '../../../src/schema/validate-definition.js';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { bugContextFrom, generatorContextFor, type SourcePair } from './synth-fixture.js';

// These tests are about how edits are encoded and how small patterns get. Verified against the
// reference alone, the candidate with the fewest passes wins; transfer-strategies.test.ts covers
// the choice made on student-style variants.
async function synthesize(pair: SourcePair, options: { pin?: boolean } = {}): Promise<GeneratorResult> {
  const bug = await bugContextFrom(pair);
  return synthGenerator({ pin: options.pin ?? false }).generate(bug, generatorContextFor(bug, undefined, { transfer: false }));
}

/** The definition of an `exact` result (fails the test otherwise). */
async function exact(pair: SourcePair, options: { pin?: boolean } = {}): Promise<BugDefinition> {
  const result = await synthesize(pair, options);
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  assert.equal(result.verification.verdict, 'exact');
  assert.deepEqual(validateDefinition(result.definition), { valid: true });
  return result.definition;
}

const replacements = (definition: BugDefinition) => definition.logic.map((p) => p.replacement);

test('deleting a statement: one delete_statement pass, the id and the v2.1 envelope', async () => {
  const definition = await exact({
    module: 'training_loop',
    name: 'missing_zero_grad',
    reference: 'def train(model, opt, loss):\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n',
    patched: 'def train(model, opt, loss):\n    loss.backward()\n    opt.step()\n',
  });
  assert.equal(definition.id, 'training-loop-missing-zero-grad');
  assert.equal(definition.injection_type, 'ast');
  assert.equal(definition.engine_version, '2.1');
  assert.equal(definition.target_function, 'train');
  assert.equal(definition.description, 'Deletes `opt.zero_grad()` in `train`.');
  assert.deepEqual(definition.logic, [
    {
      pass: 1,
      type: 'find_and_replace',
      description: 'Delete `opt.zero_grad()`',
      pattern: { node_type: 'Expr', value: { node_type: 'Call', func: { node_type: 'Attribute', attr: 'zero_grad' } } },
      replacement: { type: 'delete_statement' },
    },
  ]);
});

test('replacing a node by a part of it: replace_with a deep path', async () => {
  const definition = await exact({
    reference: 'import math\n\ndef lr(t, lo, hi):\n    c = 0.5 * (1.0 + math.cos(math.pi * t))\n    return lo + (hi - lo) * c\n',
    patched: 'import math\n\ndef lr(t, lo, hi):\n    c = math.cos(math.pi * t)  # BUG\n    return lo + (hi - lo) * c\n',
  });
  assert.deepEqual(replacements(definition), [{ type: 'replace_with', source: 'node.right.right' }]);
});

test('replace_value_with a node path when the part alone cannot be told apart', async () => {
  // `x + y` appears twice, so the BinOp cannot be matched alone; its assignment can.
  const definition = await exact({
    reference: 'def f(x, y):\n    a = x + y\n    return a * (x + y)\n',
    patched: 'def f(x, y):\n    a = y\n    return a * (x + y)\n',
  });
  assert.deepEqual(replacements(definition), [{ type: 'replace_value_with', source: 'node.value.right' }]);
  assert.equal(definition.logic[0]!.pattern!.node_type, 'Assign');
});

test('replace_value_with Python text for new code in a keyword value', async () => {
  const definition = await exact({
    reference: 'import torch\n\ndef batch(n, b):\n    return torch.randint(low=0, high=n, size=(b,))\n',
    patched: 'import torch\n\ndef batch(n, b):\n    return torch.randint(low=0, high=n + 1, size=(b,))\n',
  });
  // The text writes the reference's own `n`: the pattern requires it, so other names fail loudly.
  assert.deepEqual(definition.logic[0]!.pattern, { node_type: 'keyword', arg: 'high', value: { node_type: 'Name', id: 'n' } });
  assert.deepEqual(replacements(definition), [{ type: 'replace_value_with', source: 'n + 1' }]);
});

test('dropping a keyword leaves a second same-named call elsewhere untouched', async () => {
  const stats = '\n\ndef stats(x):\n    mean = torch.mean(x, dim=-1, keepdim=True)\n    var = torch.mean((x - mean) ** 2, dim=-1, keepdim=True)\n    return mean, var\n';
  const definition = await exact({
    reference: `import torch\n\ndef rms(x):\n    return torch.sqrt(torch.mean(x ** 2, dim=-1, keepdim=True))${stats}`,
    patched: `import torch\n\ndef rms(x):\n    return torch.sqrt(torch.mean(x ** 2, dim=-1))${stats}`,
  });
  // `exact` already proves stats() is unchanged; the pattern says why.
  assert.deepEqual(replacements(definition), [{ type: 'remove_keyword_arg', name: 'keepdim' }]);
  assert.deepEqual(definition.logic[0]!.pattern!.args, [{ node_type: 'BinOp', left: { node_type: 'Name' } }]);
  assert.equal(definition.target_function, 'rms');
});

test('edits in two functions: one pass each, target_function is the first function', async () => {
  const definition = await exact({
    reference:
      'def save(model, opt):\n    return {"model": model.state_dict(), "opt": opt.state_dict()}\n\n' +
      'def load(ckpt, model, opt):\n    model.load_state_dict(ckpt["model"])\n    opt.load_state_dict(ckpt["opt"])\n',
    patched: 'def save(model, opt):\n    return {"model": model.state_dict()}\n\ndef load(ckpt, model, opt):\n    model.load_state_dict(ckpt["model"])\n',
  });
  assert.equal(definition.target_function, 'save');
  assert.equal(definition.logic.length, 3);
  assert.ok(definition.logic.every((p) => p.replacement?.type === 'delete_statement'));
  assert.match(definition.description!, /in `save` and `load`\.$/);
});

test('two deletions of the same shape share one pass', async () => {
  const definition = await exact({
    reference: 'def step(b1, b2, s, lr):\n    c1 = 1 - b1 ** s\n    c2 = 1 - b2 ** s\n    return lr / c1 + c2\n',
    patched: 'def step(b1, b2, s, lr):\n    return lr / c1 + c2\n',
  });
  assert.equal(definition.logic.length, 1);
  assert.equal(definition.logic[0]!.description, 'Delete `c1 = 1 - b1 ** s` and `c2 = 1 - b2 ** s`');
});

test('an insertion is unsupported, with the reason', async () => {
  const result = await synthesize({
    reference: 'import torch\n\ndef forward(x):\n    y = x * 2\n    return y\n',
    patched: 'import torch\n\ndef forward(x):\n    y = x * 2\n    y = torch.clamp(y, 0, 1)\n    return y\n',
  });
  assert.equal(result.status, 'unsupported');
  assert.match(result.status === 'unsupported' ? result.reason : '', /^inserts `y = torch\.clamp\(y, 0, 1\)` .* in `forward`: v2\.1 can delete, replace or unwrap nodes but cannot insert statements$/);
});

test('a patch that only changes comments is unsupported', async () => {
  const result = await synthesize({ reference: 'def f(x):\n    return x\n', patched: 'def f(x):\n    # BUG: nothing\n    return x\n' });
  assert.deepEqual(result, {
    status: 'unsupported',
    reason: 'the patch changes no code: the reference and the patched reference have the same AST (only comments or formatting differ)',
  });
});

test('replacing a statement by `pass` is unsupported: it is a different statement, not a deletion', async () => {
  const result = await synthesize({
    reference: 'def f(o):\n    o.zero_grad()\n',
    patched: 'def f(o):\n    pass\n',
  });
  assert.equal(result.status, 'unsupported');
  assert.match(result.status === 'unsupported' ? result.reason : '', /^replaces the statement `o\.zero_grad\(\)` by a `Pass` statement `pass` \(line 2 of `f`\)/);
});

test('the same code in two functions: a track pass by canonical names pins the edit to the target function', async () => {
  const definition = await exact({
    reference: 'def f(o):\n    o.zero_grad()\n    o.step()\n\ndef g(o):\n    o.zero_grad()\n    o.step()\n',
    patched: 'def f(o):\n    o.step()\n\ndef g(o):\n    o.zero_grad()\n    o.step()\n',
  }, { pin: true });
  assert.equal(definition.target_function, 'f');
  // The pin (`f` written as a method, then as it is), its confirmation (the first place of that
  // shape, where the pin found the last), the guard that they agree, the edit.
  assert.deepEqual(
    definition.logic.map((p) => p.type),
    ['find_and_track', 'find_and_track', 'find_and_track', 'find_and_track', 'find_and_replace', 'find_and_replace'],
  );
  assert.match(JSON.stringify(definition.logic[0]!.pattern), /"id":"_arg1"/);
  assert.match(JSON.stringify(definition.logic[1]!.pattern), /"id":"_arg0"/);
  assert.deepEqual(definition.logic[4]!.replacement, { type: 'replace_with', source: 'node' });
  assert.deepEqual(definition.logic[5]!.pattern!.lineno, { from_context: 'site1_line' });
});

test('an expressible edit without an exact pattern fails with the reason (for the next generator)', async () => {
  const result = await synthesize({
    reference: 'def f(o):\n    o.zero_grad()\n    o.zero_grad()\n    o.step()\n',
    patched: 'def f(o):\n    o.zero_grad()\n    o.step()\n',
  }, { pin: true });
  assert.equal(result.status, 'failed');
  assert.match(result.status === 'failed' ? result.reason : '', /^no pattern matches only `o\.zero_grad\(\)` for delete_statement \(the most specific candidate still matches 2 nodes in the file\)$/);
});

test('the plugin is named synth, always available, with a settings key', () => {
  const plugin = synthGenerator();
  assert.equal(plugin.name, 'synth');
  assert.deepEqual(plugin.available?.(), { ok: true });
  assert.notEqual(plugin.settingsKey?.(), synthGenerator({ groupEdits: false }).settingsKey?.());
});

test('deleting an element of a non-statement list (a decorator, a comprehension filter)', async () => {
  const decorator = await exact({
    module: 'counter',
    name: 'no_staticmethod',
    reference: 'class Counter:\n    @staticmethod\n    def zero():\n        return Counter()\n\n    @property\n    def value(self):\n        return 0\n',
    patched: 'class Counter:\n    def zero():\n        return Counter()\n\n    @property\n    def value(self):\n        return 0\n',
  });
  assert.deepEqual(replacements(decorator), [{ type: 'delete_statement' }]);
  assert.deepEqual(decorator.logic[0]!.pattern, { node_type: 'Name', id: 'staticmethod' });
  const filter = await exact({
    module: 'evens',
    name: 'no_filter',
    reference: 'def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n',
    patched: 'def evens(xs):\n    return [x for x in xs]\n',
  });
  assert.equal(filter.logic.length, 1);
});

test("a later pass is pinned in the engine's canonical copy: the Canonicalizer's names carry over from one copy to the next", async () => {
  // After the first replace pass, the engine's copy renames `y` and `z` from where the previous
  // copy left off (_var1, _var2), not from _var0: a pin planned on a fresh copy tracks `y`.
  const definition = await exact({
    reference: 'y = 5\nz = 7\n\ndef f(a):\n    b = a + 1\n    return b\n',
    patched: 'y = 6\nz = 8\n\ndef f(a):\n    b = a + 1\n    return b\n',
  }, { pin: true });
  // Each site: its ladder's track passes (other indices), its own reading last, then (the
  // readings confirmed in the other order, and their guard, which changes nothing) the replace.
  const isGuard = (p: (typeof definition.logic)[number]) => p.type === 'find_and_replace' && p.replacement?.source === 'node';
  const types = definition.logic.map((p) => (isGuard(p) ? 'guard' : p.type));
  const replaces = types.flatMap((t, i) => (t === 'find_and_replace' ? [i] : []));
  assert.equal(replaces.length, 2);
  assert.ok(types.slice(0, replaces[0]).every((t) => t !== 'find_and_replace'));
  assert.ok(types.slice(replaces[0]! + 1, replaces[1]).every((t) => t !== 'find_and_replace'));
  // The second site's own reading: the last track that records its position (not where a confirming reading ends).
  const own = definition.logic.slice(0, replaces[1]).filter((p) => p.type === 'find_and_track' && 'site2_line' in (p.track_as ?? {})).at(-1)!;
  assert.match(JSON.stringify(own.pattern), /"id":"_var2"/);
});

test('with no student-style variants to rank by, the first exact candidate is kept and no other strategy is verified', async () => {
  const bug = await bugContextFrom({
    reference: 'def f(x):\n    y = x * 2\n    return y + 1\n',
    patched: 'def f(x):\n    y = x * 2\n    return y\n',
  });
  const context = generatorContextFor(bug, undefined, { transfer: false });
  let verified = 0;
  const verify = context.verify;
  context.verify = (definition) => {
    verified++;
    return verify(definition);
  };
  const result = await synthGenerator({ pin: true }).generate(bug, context);
  assert.equal(result.status, 'generated');
  assert.equal(verified, 1);
});
