import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALWAYS_LIMIT, DEFINITIONS, NO_DIVIDE, NO_FACTOR, REFERENCE, REFERENCE_TEXT, curriculumRepo, definition, findingsOf } from '../support/git-fixture.js';

describe('check findings (working tree)', () => {
  test('a clean curriculum passes; the second check answers from hashes and the verdict cache, without Python', async () => {
    const repo = await curriculumRepo();
    const first = await repo.checkJson();
    assert.equal(first.code, 0);
    assert.deepEqual(first.findings, []);
    assert.equal(first.checked, 3);
    const second = await repo.checkJson();
    assert.equal(second.code, 0);
    assert.equal(second.pythonLoaded, false);
  });

  test('missing: a patch with no JSON', async () => {
    const repo = await curriculumRepo();
    await repo.remove(NO_FACTOR.json);
    const report = await repo.checkJson();
    assert.equal(report.code, 1);
    const [missing, ...rest] = findingsOf(report, 'missing');
    assert.equal(rest.length, 0);
    assert.equal(missing!.severity, 'error');
    assert.equal(missing!.bug, NO_FACTOR.id);
    assert.equal(missing!.file, NO_FACTOR.json);
    assert.equal(missing!.fix, `bug-author build ${NO_FACTOR.patch}`);
  });

  test('stale: the symptom, patch or reference changed after generation; no Python needed to say so', async () => {
    const repo = await curriculumRepo();
    await repo.checkJson(); // verdicts cached
    await repo.write(NO_FACTOR.symptom, 'scale() forgets its factor.\n');
    const report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug]), [['stale', NO_FACTOR.id]]);
    assert.equal(report.findings[0]!.fix, `bug-author build ${NO_FACTOR.patch}`);
    assert.equal(report.pythonLoaded, false);

    // A reference change makes every generated JSON that reads it stale; the hand-written one is never stale.
    await repo.write(REFERENCE, `${REFERENCE_TEXT}\n\ndef unused():\n    return 0\n`);
    const after = await repo.checkJson();
    assert.deepEqual(findingsOf(after, 'stale').map((f) => f.bug).sort(), [NO_DIVIDE.id, NO_FACTOR.id]);
    assert.deepEqual(findingsOf(after, 'does-not-verify'), []);
  });

  test('hand-edited: a warning, and the JSON is still verified', async () => {
    const repo = await curriculumRepo();
    const json = JSON.parse(await repo.read(NO_DIVIDE.json)) as { description: string };
    json.description = 'edited by hand';
    await repo.writeJson(NO_DIVIDE.json, json);
    const report = await repo.checkJson();
    assert.equal(report.code, 0, 'a hand-edit alone is a warning');
    assert.deepEqual(report.findings.map((f) => [f.kind, f.severity, f.bug]), [['hand-edited', 'warning', NO_DIVIDE.id]]);
    assert.match(report.findings[0]!.fix, /bug-author build --force/);

    // …and verified like a hand-written one: breaking it is an error.
    const passes = (json as unknown as typeof DEFINITIONS.noDivide).logic;
    const broken = { ...json, logic: passes.map((p) => (p.type === 'find_and_replace' ? { ...p, pattern: { node_type: 'BinOp', op: 'Pow' } } : p)) };
    await repo.writeJson(NO_DIVIDE.json, broken);
    const worse = await repo.checkJson();
    assert.equal(worse.code, 1);
    assert.deepEqual(worse.findings.map((f) => [f.kind, f.severity]), [['hand-edited', 'warning'], ['does-not-verify', 'error']]);
  });

  test('schema-invalid: not a v2.1 definition, or not JSON at all (with the line)', async () => {
    const repo = await curriculumRepo();
    await repo.writeJson(ALWAYS_LIMIT.json, { ...DEFINITIONS.alwaysLimit, logic: [{ pass: 1, type: 'find_and_explode', description: 'x', pattern: {} }] });
    let report = await repo.checkJson();
    assert.equal(report.code, 1);
    const [invalid] = findingsOf(report, 'schema-invalid');
    assert.equal(invalid!.bug, ALWAYS_LIMIT.id);
    assert.match(invalid!.message, /\/logic\/0\/type/);

    await repo.write(ALWAYS_LIMIT.json, '{\n  "id": "x",\n  "logic": []\n  "injection_type": "ast"\n}\n');
    report = await repo.checkJson();
    const [notJson] = findingsOf(report, 'schema-invalid');
    assert.match(notJson!.message, /not valid JSON/);
    assert.equal(notJson!.line, 4);
  });

  test('does-not-verify: no-match, error and invalid Python fail; a hand-written `differs` only warns, a generated one fails', async () => {
    const repo = await curriculumRepo();
    const cases: { json: object; severity: 'error' | 'warning'; message: RegExp }[] = [
      { json: definition('nm', 'clip', { node_type: 'BinOp', op: 'Pow' }, { type: 'replace_with', source: 'node.left' }), severity: 'error', message: /matches nothing/ },
      // Deleting the only statement of the `if` leaves a body the injector does not catch.
      { json: definition('bad-py', 'clip', { node_type: 'Assign', value: { node_type: 'Name', id: 'limit' } }, { type: 'delete_statement' }), severity: 'error', message: /not valid Python/ },
      // A Name has no `value`: the engine removes it, `x = limit` in the target function loses its value, and rebuilding the canonical copy raises.
      { json: definition('raises', 'clip', { node_type: 'Name', id: 'limit' }, { type: 'replace_value_with', source: 'x' }), severity: 'error', message: /raised/ },
      { json: definition('differs', 'clip', { node_type: 'Return', value: { node_type: 'Name', id: 'x' } }, { type: 'replace_value_with', source: 'x + 1' }), severity: 'warning', message: /not the patched/ },
    ];
    for (const c of cases) {
      await repo.writeJson(ALWAYS_LIMIT.json, c.json);
      const report = await repo.checkJson();
      const findings = findingsOf(report, 'does-not-verify');
      assert.equal(findings.length, 1, JSON.stringify(report.findings));
      assert.equal(findings[0]!.severity, c.severity);
      assert.match(findings[0]!.message, c.message);
      assert.equal(report.code, c.severity === 'error' ? 1 : 0);
      if (c.severity === 'warning') assert.match(findings[0]!.detail ?? '', /return x \+ 1/);
      const again = await repo.checkJson();
      assert.deepEqual(again.findings, report.findings);
      assert.equal(again.pythonLoaded, false, 'a failing verdict is cached too');
    }
    await repo.writeJson(ALWAYS_LIMIT.json, DEFINITIONS.alwaysLimit);

    // Generated JSON whose input hash matches but which injects something else: an error.
    await repo.writeGenerated(NO_FACTOR, definition('ops-no-factor', 'scale', { node_type: 'BinOp', op: 'Mult' }, { type: 'replace_with', source: 'node.right' }));
    const report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.severity, f.bug]), [['does-not-verify', 'error', NO_FACTOR.id]]);
    assert.match(report.findings[0]!.fix, /bug-author build --force/);
  });

  test('does-not-transfer: exact on the reference but wrong on student-style code; an error for generated JSON, a warning for hand-written; listed in --format json', async () => {
    const repo = await curriculumRepo();
    const clean = await repo.checkJson();
    const transfer = (clean as unknown as { transfer: { bug: string; exact: number; total: number; worst: string }[] }).transfer;
    // (These hand-made definitions pin with one track and no ladder: a student with one more assignment at the top gets a loud no-match.)
    assert.deepEqual(transfer.map((t) => t.bug), [ALWAYS_LIMIT.id, NO_DIVIDE.id, NO_FACTOR.id]);
    assert.ok(transfer.every((t) => t.worst !== 'wrong'));
    assert.ok(transfer.every((t) => t.exact <= t.total && t.total >= 5));

    // Unpinned, `x * factor` → `x` also rewrites a look-alike multiplication elsewhere in a student's file.
    const unconfined = definition('ops-no-factor', 'scale', { node_type: 'BinOp', op: 'Mult' }, { type: 'replace_with', source: 'node.left' });
    await repo.writeGenerated(NO_FACTOR, unconfined);
    const generated = await repo.checkJson();
    assert.equal(generated.code, 1);
    const [finding] = findingsOf(generated, 'does-not-transfer');
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.bug, NO_FACTOR.id);
    assert.match(finding!.message, /injects something else into student-style code: lookalike variant \(changes `scale_lookalike` differently from the patch\)/);
    assert.match(finding!.fix, /bug-author build --force/);

    await repo.writeJson(NO_FACTOR.json, unconfined);
    const handWritten = await repo.checkJson();
    assert.equal(handWritten.code, 0, 'the author\'s own JSON: a warning');
    assert.deepEqual(findingsOf(handWritten, 'does-not-transfer').map((f) => f.severity), ['warning']);
  });

  test('orphan JSON: a warning naming the file', async () => {
    const repo = await curriculumRepo();
    // A generated JSON whose patch is gone (renamed away): deleting it is the fix.
    await repo.write('curricula/c1/modules/ops/bugs/renamed_away.json', await repo.read(NO_FACTOR.json));
    const report = await repo.checkJson();
    assert.equal(report.code, 0);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.severity, f.file]), [['orphan', 'warning', 'curricula/c1/modules/ops/bugs/renamed_away.json']]);
    assert.match(report.findings[0]!.fix, /^rm /, 'an untracked orphan is removed with rm');
    await repo.commitAll('orphan');
    assert.match((await repo.checkJson()).findings[0]!.fix, /^git rm /);
    // A hand-written one with no patch is a bug the engine serves: explained, never condemned.
    await repo.writeJson('curricula/c1/modules/ops/bugs/renamed_away.json', DEFINITIONS.noFactor);
    await repo.write('curricula/c1/modules/ops/bugs/renamed_away_symptom.txt', 'x\n');
    const [handWritten] = (await repo.checkJson()).findings;
    assert.match(handWritten!.message, /hand-written bug with no patch: the engine serves it/);
    assert.doesNotMatch(handWritten!.fix, /\brm\b/);
  });

  test('untracked output: a finding in CI (CI=true), not on a developer machine', async () => {
    const repo = await curriculumRepo();
    await repo.git.rm(['--cached', NO_DIVIDE.json]);
    await repo.git.commit('untrack');
    assert.deepEqual((await repo.checkJson()).findings, []);
    const ci = await repo.checkJson([], { CI: 'true' });
    assert.equal(ci.code, 1);
    assert.deepEqual(ci.findings.map((f) => [f.kind, f.file, f.fix]), [['untracked', NO_DIVIDE.json, `git add ${NO_DIVIDE.json}`]]);
  });

  test('input errors name the file: a patch that does not apply, a reference that does not parse', async () => {
    const repo = await curriculumRepo();
    await repo.write(NO_FACTOR.patch, PATCH_THAT_DOES_NOT_APPLY);
    let report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.file]), [['input-error', NO_FACTOR.patch]]);
    assert.match(report.findings[0]!.fix, new RegExp(`fix ${NO_FACTOR.patch}`));

    await repo.git.checkout(['--', NO_FACTOR.patch]);
    await repo.write(REFERENCE, REFERENCE_TEXT.replace('def clip(x, limit):', 'def clip(x, limit)'));
    report = await repo.checkJson();
    const inputErrors = findingsOf(report, 'input-error');
    assert.ok(inputErrors.some((f) => f.file === REFERENCE && f.bug === ALWAYS_LIMIT.id && f.line === 10), JSON.stringify(report.findings));
    const again = await repo.checkJson();
    assert.deepEqual(again.findings, report.findings);
    assert.equal(again.pythonLoaded, false, 'the syntax diagnosis is remembered');
  });
});

const PATCH_THAT_DOES_NOT_APPLY = `--- a/tiny/ops.py
+++ b/tiny/ops.py
@@ -1,2 +1,2 @@
 def scale(y, factor):
-    return y ** factor
+    return y
`;
