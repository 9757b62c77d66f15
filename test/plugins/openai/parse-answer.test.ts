import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ANSWER_CHARS, parseAnswer } from '../../../plugins/openai/parse-answer.js';

test('a bare JSON object parses', () => {
  assert.deepEqual(parseAnswer('{"id": "a", "logic": []}'), { ok: true, value: { id: 'a', logic: [] } });
});

test('``` fences, prose and trailing text are ignored', () => {
  const text = 'Here is the definition:\n```json\n{"id": "a", "logic": [{"x": "}{"}]}\n```\nHope this helps! {"not": "this"}';
  assert.deepEqual(parseAnswer(text), { ok: true, value: { id: 'a', logic: [{ x: '}{' }] } });
});

test('the first balanced object wins, escaped quotes included', () => {
  const parsed = parseAnswer('{"id": "a \\" }", "logic": []} trailing } junk');
  assert.deepEqual(parsed, { ok: true, value: { id: 'a " }', logic: [] } });
});

test('a definition wrapped in one key is unwrapped', () => {
  assert.deepEqual(parseAnswer('{"bug_definition": {"id": "a", "logic": []}}'), { ok: true, value: { id: 'a', logic: [] } });
});

test('unreadable answers say why', () => {
  for (const [text, why] of [
    ['', /empty/],
    ['no json here', /no JSON object/],
    ['{"id": "a", "logic": [', /not closed/],
    ["{'id': 'a'}", /invalid JSON/],
  ] as const) {
    const parsed = parseAnswer(text);
    assert.equal(parsed.ok, false, text);
    assert.match((parsed as { error: string }).error, why);
  }
});

test('an enormous answer is refused without scanning it', () => {
  const parsed = parseAnswer('{'.repeat(10), { totalChars: MAX_ANSWER_CHARS + 1 });
  assert.equal(parsed.ok, false);
  assert.match((parsed as { error: string }).error, /characters long/);
});
