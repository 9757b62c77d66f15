import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { bothPythonBackends } from '../../support/python-backends.js';
import { CORPUS_DIR, corpusAvailable, loadCorpusBugs } from './corpus-fixture.js';
import { bugContextFrom, generatorContextFor } from './synth-fixture.js';

// v2.1 cannot express 4 of the 21 corpus bugs (see the corpus README): rewrites with new
// statements, a structural rewrite, a reorder, and a wrap of a `for` iterable.
const MIN_EXACT = 17;

// Synthesis and verification must come out the same on both Python back-ends.
const backends = bothPythonBackends();
/** Per back-end: each bug's status and definition (or reason), to compare the two. */
const results = new Map<string, string[]>();

for (const { name: backend, kind, python, skip } of backends) {
  test(`synthesis over the 21 corpus patches, on ${backend}`, { skip: (!corpusAvailable() && `no corpus at ${CORPUS_DIR}`) || skip }, async (t) => {
    const generator = synthGenerator();
    const rows: string[] = [];
    let exact = 0;
    const withoutReason: string[] = [];
    const seen: string[] = [];
    results.set(backend, seen);
    for (const entry of loadCorpusBugs()) {
      const bug = await bugContextFrom({ module: entry.module, name: entry.name, reference: entry.reference, patched: entry.patched, targetPath: entry.targetPath }, python);
      const started = performance.now();
      const result = await generator.generate(bug, generatorContextFor(bug, python));
      const ms = Math.round(performance.now() - started);
      seen.push(`${bug.id} ${result.status} ${result.status === 'generated' ? JSON.stringify(result.definition) : result.reason}`);
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
    assert.equal(python.backend?.kind, kind);
    assert.equal(rows.length, 21, 'the corpus has 21 patches');
    assert.ok(exact >= MIN_EXACT, `${exact} exact, expected at least ${MIN_EXACT}`);
    assert.deepEqual(withoutReason, [], 'every non-exact bug says why');
  });

  test(`the corpus bugs v2.1 cannot express are reported as unsupported, with the precise cause, on ${backend}`, { skip: (!corpusAvailable() && `no corpus at ${CORPUS_DIR}`) || skip }, async () => {
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
      const bug = await bugContextFrom({ module: entry.module, name: entry.name, reference: entry.reference, patched: entry.patched }, python);
      const result = await generator.generate(bug, generatorContextFor(bug, python));
      assert.equal(result.status, 'unsupported', bug.id);
      assert.match(result.status === 'unsupported' ? result.reason : '', expected[bug.id]!, bug.id);
    }
  });
}

test('CPython and pyodide synthesize the same definitions, and give the same reasons', { skip: backends.some((b) => b.skip) && 'one back-end is unavailable' }, () => {
  assert.equal(results.size, 2, 'both back-ends ran');
  assert.deepEqual(results.get('CPython'), results.get('pyodide'));
});
