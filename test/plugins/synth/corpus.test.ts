import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { CORPUS_DIR, corpusAvailable, loadCorpusBugs } from './corpus-fixture.js';
import { bugContextFrom, generatorContextFor } from './synth-fixture.js';

// v2.1 cannot express 4 of the 21 corpus bugs (see the corpus README): rewrites with new
// statements, a structural rewrite, a reorder, and a wrap of a `for` iterable.
const MIN_EXACT = 17;

test('synthesis over the 21 corpus patches', { skip: !corpusAvailable() && `no corpus at ${CORPUS_DIR}` }, async (t) => {
  const generator = synthGenerator();
  const rows: string[] = [];
  let exact = 0;
  const withoutReason: string[] = [];
  for (const entry of loadCorpusBugs()) {
    const bug = await bugContextFrom({ module: entry.module, name: entry.name, reference: entry.reference, patched: entry.patched, targetPath: entry.targetPath });
    const started = performance.now();
    const result = await generator.generate(bug, generatorContextFor(bug));
    const ms = Math.round(performance.now() - started);
    if (result.status === 'generated' && result.verification.verdict === 'exact') {
      exact++;
      rows.push(`${bug.id}: exact (${result.definition.logic.length} passes, ${ms} ms)`);
    } else {
      const reason = result.status === 'generated' ? `verdict ${result.verification.verdict}` : result.reason;
      if (!reason.trim()) withoutReason.push(bug.id);
      rows.push(`${bug.id}: ${result.status} (${ms} ms): ${reason}`);
    }
  }
  for (const row of rows) t.diagnostic(row);
  assert.equal(rows.length, 21, 'the corpus has 21 patches');
  assert.ok(exact >= MIN_EXACT, `${exact} exact, expected at least ${MIN_EXACT}`);
  assert.deepEqual(withoutReason, [], 'every non-exact bug says why');
});

test('the corpus bugs v2.1 cannot express are reported as unsupported, with the precise cause', { skip: !corpusAvailable() && `no corpus at ${CORPUS_DIR}` }, async () => {
  const generator = synthGenerator();
  const expected: Record<string, RegExp> = {
    'cross_entropy/no_logsumexp': /^inserts 3 statements \(`exp_logits = torch\.exp\(x32\)`.*cannot insert statements; the patch rewrites this code/,
    'gradient_clipping/per_parameter_clipping': /^inserts `for g in grads: …` .*in `gradient_clipping`: .*cannot insert statements/,
    'text_generation/temperature_after_softmax': /^moves an operation in `generate`: it deletes `next_logits = next_logits \/ temperature`.*reorders statements/,
    'tokenizer_class/wrong_merge_order': /^wraps `self\.merges` in `reversed\(self\.merges\)` \(the `iter` of the `For` .* of `Tokenizer\.encode`\).*a `For` has no `value` field/,
  };
  const entries = loadCorpusBugs().filter((e) => `${e.module}/${e.name}` in expected);
  assert.equal(entries.length, 4);
  for (const entry of entries) {
    const bug = await bugContextFrom({ module: entry.module, name: entry.name, reference: entry.reference, patched: entry.patched });
    const result = await generator.generate(bug, generatorContextFor(bug));
    assert.equal(result.status, 'unsupported', bug.id);
    assert.match(result.status === 'unsupported' ? result.reason : '', expected[bug.id]!, bug.id);
  }
});
