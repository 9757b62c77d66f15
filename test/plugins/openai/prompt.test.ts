import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectBugFacts } from '../../../plugins/openai/bug-facts.js';
import { openaiGenerator } from '../../../plugins/openai/index.js';
import { buildSystemPrompt, buildUserPrompt } from '../../../plugins/openai/prompt.js';
import { GOLDEN, siluBug } from './helpers.js';

test('the user prompt carries the symptom, patch, functions before/after and the changed statements', async () => {
  const bug = await siluBug();
  const prompt = buildUserPrompt(bug);
  assert.match(prompt, /act\/silu_missing_multiply/);
  assert.match(prompt, /The activation saturates at 1\./);
  assert.match(prompt, /-    return x \* torch\.sigmoid\(x\)/);
  assert.match(prompt, /before \(reference\)\n```python\ndef silu\(x\):\n    """SiLU\."""\n    return x \* torch\.sigmoid\(x\)\n```/);
  assert.match(prompt, /after \(patched\)\n```python\ndef silu\(x\):\n    """SiLU\."""\n    # BUG\n    return torch\.sigmoid\(x\)\n```/);
  assert.ok(!prompt.includes('def gelu_approx'), 'unchanged functions are not shown');
  assert.ok(prompt.includes('- before (line 6): {"node_type":"Return","value":{"node_type":"BinOp","left":{"node_type":"Name","id":"x"},"op":"Mult"'));
  assert.ok(prompt.includes('+ after (line 7): {"node_type":"Return","value":{"node_type":"Call"'));
  // Canonical names for track passes: the parameter x is _arg0 inside silu.
  assert.ok(prompt.includes('as find_and_track sees it (target_function "silu"): {"node_type":"Return","value":{"node_type":"BinOp","left":{"node_type":"Name","id":"_arg0"}'));
});

test('without a symptom the model is told to infer it', async () => {
  const bug = await siluBug('act/silu_missing_multiply', null);
  assert.match(buildUserPrompt(bug), /No symptom file: infer the student-visible behaviour from the patch/);
});

test('the statement diff reports the innermost changed statements', async () => {
  const facts = collectBugFacts(await siluBug());
  assert.equal(facts.changes.length, 1);
  assert.equal(facts.changes[0]!.scope, 'def silu');
  assert.deepEqual(facts.changes[0]!.removed.map((n) => n._type), ['Return']);
  assert.deepEqual(facts.functions.map((f) => f.name), ['silu']);
});

test('the system prompt has the format, the injector quirks and the golden examples', () => {
  const system = buildSystemPrompt(GOLDEN);
  for (const needle of ['FILE-WIDE', 'children', 'CANONICAL', '_arg0', 'OUTERMOST', 'Conditions are ignored', 'replace_value_with', 'single field', 'only statement of a body', 'golden/silu.json', '"golden-example"']) {
    assert.ok(system.includes(needle), needle);
  }
});

test('settingsKey follows model, temperature and golden examples, never the key', () => {
  const a = openaiGenerator({ apiKey: 'sk-one-aaaaaaaaaaaa', env: {} });
  const b = openaiGenerator({ apiKey: 'sk-two-bbbbbbbbbbbb', env: {} });
  assert.equal(a.settingsKey(GOLDEN), b.settingsKey(GOLDEN));
  assert.notEqual(a.settingsKey(GOLDEN), a.settingsKey([]));
  assert.notEqual(a.settingsKey(GOLDEN), openaiGenerator({ model: 'gpt-4o', env: {} }).settingsKey(GOLDEN));
  assert.notEqual(a.settingsKey(GOLDEN), openaiGenerator({ temperature: 0, env: {} }).settingsKey(GOLDEN));
  assert.equal(openaiGenerator({ goldenExamples: GOLDEN, env: {} }).settingsKey(), a.settingsKey(GOLDEN));
});

test('available() explains a missing key', () => {
  assert.deepEqual(openaiGenerator({ env: {} }).available(), {
    ok: false,
    reason: 'OPENAI_API_KEY is not set',
    hint: 'set OPENAI_API_KEY (environment or .env) or pass --no-llm',
  });
  assert.deepEqual(openaiGenerator({ env: { OPENAI_API_KEY: 'sk-from-env-xxxxxxxx' } }).available(), { ok: true });
});
