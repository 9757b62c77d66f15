import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFINITIONS, NO_DIVIDE, NO_FACTOR, curriculumRepo, findingsOf, type CheckJson, type CurriculumRepo } from '../support/git-fixture.js';

// The engine's harden stage picks uniformly among every *.patch and *.json of a bugs folder and
// stops when the one it picked has no <stem>_symptom.txt beside it (engine/stages/harden.py,
// _select_bug). check reports what it would trip on: files there that are no bug of bug-author's
// (errors), and bugs it would refuse to serve for want of that symptom (warnings).

const BUGS = 'curricula/c1/modules/ops/bugs';
const STAMP = { status: 'DRAFT — needs review: verification did not give `exact`', generator: 'openai', verdict: 'differs', reason: null, diff: null };

const only = (report: CheckJson) => report.findings.map((f) => [f.kind, f.severity, f.file]);

async function withConfig(repo: CurriculumRepo, fields: string): Promise<void> {
  await repo.write('bug-author.config.mjs', `export default { enginePickWarning: false, ${fields} };\n`);
}

describe('what the engine picks from a bugs folder', () => {
  test('a scratch JSON there is an error saying what the engine does with it, and how to move it out', async () => {
    const repo = await curriculumRepo();
    await repo.writeJson(`${BUGS}/no_factor_draft.json`, DEFINITIONS.noFactor);
    let report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(only(report), [['orphan', 'error', `${BUGS}/no_factor_draft.json`]]);
    const [draft] = report.findings;
    // 3 patches, 3 JSON and the draft: the engine's odds.
    assert.match(draft!.message, /has a scratch name bug-author never builds or checks, but it sits in curricula\/c1\/modules\/ops\/bugs, where the engine picks bugs/);
    assert.match(draft!.message, /the engine picks it as a bug \(1 time in 7\) and stops \("Symptom file missing for no_factor_draft\.json": there is no curricula\/c1\/modules\/ops\/bugs\/no_factor_draft_symptom\.txt\)/);
    assert.equal(draft!.fix, `move it out of the bugs folder: mv ${BUGS}/no_factor_draft.json curricula/c1/modules/ops/`);
    assert.equal(report.errors, 1);

    // With a symptom beside it the engine would serve it: an unverified definition.
    await repo.write(`${BUGS}/no_factor_draft_symptom.txt`, 'x\n');
    await repo.writeJson(`${BUGS}/no_factor_v2.json`, DEFINITIONS.noFactor);
    await repo.commitAll('scratch files');
    report = await repo.checkJson();
    assert.deepEqual(only(report), [
      ['orphan', 'error', `${BUGS}/no_factor_draft.json`],
      ['orphan', 'error', `${BUGS}/no_factor_v2.json`],
    ]);
    assert.match(report.findings[0]!.message, /\(1 time in 8\) and injects it into the student's code: a definition bug-author never verified/);
    assert.match(report.findings[0]!.fix, /^move it out of the bugs folder: git mv /, 'a tracked file moves with git mv');
    assert.equal(report.pythonLoaded, false);
  });

  test("bug-author's own near-miss draft left there by an older version: build moves it, and check is clean again", async () => {
    const repo = await curriculumRepo();
    await repo.writeJson(`${BUGS}/no_factor_draft.json`, { ...DEFINITIONS.noFactor, metadata: { draft: STAMP } });
    const before = await repo.checkJson();
    assert.deepEqual(only(before), [['orphan', 'error', `${BUGS}/no_factor_draft.json`]]);
    assert.match(before.findings[0]!.fix, /^run bug-author build \(it moves its own near-miss drafts to \.bug-author\/drafts\/\), or move it out/);
    const build = await repo.cli(['build', '--no-llm']);
    assert.equal(build.code, 0, build.stdout + build.stderr);
    assert.deepEqual((await repo.checkJson()).findings, []);
    assert.match(await repo.read(`.bug-author/drafts/${BUGS}/no_factor.near-miss.json`), /DRAFT — needs review/);
  });

  test('a JSON that is no bug definition, or empty, is an error there; a hand-written definition stays a warning', async () => {
    const repo = await curriculumRepo();
    await repo.writeJson(`${BUGS}/notes.json`, { todo: 'write more bugs' });
    await repo.write(`${BUGS}/blank.json`, '\n');
    await repo.writeJson(`${BUGS}/extra.json`, DEFINITIONS.alwaysLimit);
    const report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(only(report), [
      ['orphan', 'error', `${BUGS}/blank.json`],
      ['orphan', 'warning', `${BUGS}/extra.json`],
      ['orphan', 'error', `${BUGS}/notes.json`],
    ]);
    const [blank, extra, notes] = report.findings;
    assert.match(blank!.message, /is no bug definition \(it is empty\)/);
    assert.match(notes!.message, /is no bug definition \(.*missing 'id': the engine refuses to load it/);
    assert.match(notes!.fix, /^move it out of the bugs folder: mv .*notes\.json curricula\/c1\/modules\/ops\/; or write the definition into it$/);
    // A bug the engine serves as it is, were it not for its missing symptom.
    assert.match(extra!.message, /hand-written bug with no patch, and the engine would refuse to serve it: it requires curricula\/c1\/modules\/ops\/bugs\/extra_symptom\.txt/);
    assert.equal(extra!.fix, 'write curricula/c1/modules/ops/bugs/extra_symptom.txt (what the student observes)');
    assert.deepEqual([report.errors, report.warnings], [2, 1]);
  });

  test('a patch the config leaves out is picked all the same: an error', async () => {
    const repo = await curriculumRepo();
    await withConfig(repo, "ignore: ['**/node_modules/**', '**/old_*.patch']");
    await repo.write(`${BUGS}/old_idea.patch`, '--- a/tiny/ops.py\n+++ b/tiny/ops.py\n@@ -1,2 +1,2 @@\n def scale(x, factor):\n-    return x * factor\n+    return x + factor\n');
    let report = await repo.checkJson();
    assert.deepEqual(only(report), [['engine-pick', 'error', `${BUGS}/old_idea.patch`]]);
    assert.match(report.findings[0]!.message, /old_idea\.patch sits in curricula\/c1\/modules\/ops\/bugs, where the engine picks bugs, but it is no bug bug-author builds or checks/);
    assert.match(report.findings[0]!.message, /stops \("Symptom file missing for old_idea\.patch"/);
    await repo.write(`${BUGS}/old_idea_symptom.txt`, 'x\n');
    report = await repo.checkJson();
    assert.match(report.findings[0]!.message, /applies it to the reference code through its legacy patch path: a bug bug-author never checked/);
    assert.match(report.findings[0]!.fix, /^move it out of the bugs folder: mv .*old_idea\.patch curricula\/c1\/modules\/ops\/; or, if it is a bug, let the config's `bugs` globs find it$/);
  });

  test('a bug whose symptom the engine cannot find is a warning naming the file to create, in every format, with no Python', async () => {
    const repo = await curriculumRepo();
    // bug-author finds the symptom through {moduleDir}/symptom.txt; the engine knows no such fallback.
    const text = await repo.read(NO_FACTOR.symptom);
    await repo.remove(NO_FACTOR.symptom);
    await repo.write('curricula/c1/modules/ops/symptom.txt', text);
    await repo.checkJson(); // verdicts cached
    const report = await repo.checkJson();
    assert.equal(report.code, 0, 'a warning: the check still passes');
    assert.deepEqual(only(report), [['engine-pick', 'warning', NO_FACTOR.json]]);
    const [factor] = report.findings;
    assert.equal(factor!.bug, NO_FACTOR.id);
    assert.match(factor!.message, new RegExp(`the engine would refuse to serve this bug: it requires ${NO_FACTOR.symptom} beside it, which does not exist \\(it stops with "Symptom file missing for no_factor\\.json"\\); bug-author read curricula/c1/modules/ops/symptom\\.txt, which the engine never looks at`));
    assert.equal(factor!.fix, `cp curricula/c1/modules/ops/symptom.txt ${NO_FACTOR.symptom}`);
    assert.equal(report.pythonLoaded, false);
    assert.deepEqual([report.errors, report.warnings], [0, 1]);

    // No symptom anywhere: the JSON is stale too (its symptom is gone), and the warning says what to write.
    await repo.remove('curricula/c1/modules/ops/symptom.txt');
    await repo.remove(NO_DIVIDE.symptom);
    const none = await repo.checkJson();
    const warnings = findingsOf(none, 'engine-pick');
    assert.deepEqual(warnings.map((f) => [f.severity, f.bug, f.fix]), [
      ['warning', NO_DIVIDE.id, `write ${NO_DIVIDE.symptom} (what the student observes)`],
      ['warning', NO_FACTOR.id, `write ${NO_FACTOR.symptom} (what the student observes)`],
    ]);

    const text2 = await repo.cli(['check']);
    assert.match(text2.stdout, /⚠ engine-pick {2}ops\/no_factor\n {2}curricula\/c1\/modules\/ops\/bugs\/no_factor\.json: the engine would refuse to serve this bug/);
    assert.match(text2.stdout, /✖ 2 errors, 2 warnings in 3 bugs/);
    const github = await repo.cli(['check', '--format', 'github'], { GITHUB_WORKSPACE: repo.root });
    assert.match(github.stdout, new RegExp(`^::warning file=${NO_FACTOR.json.replaceAll('.', '\\.')},title=bug-author engine-pick \\(ops/no_factor\\)::.*would refuse to serve this bug`, 'm'));
  });

  test('with no JSON yet, the warning names the patch the engine would pick today', async () => {
    const repo = await curriculumRepo();
    await repo.remove(NO_DIVIDE.json);
    await repo.remove(NO_DIVIDE.symptom);
    const report = await repo.checkJson();
    assert.deepEqual(only(report), [
      ['missing', 'error', NO_DIVIDE.json],
      ['engine-pick', 'warning', NO_DIVIDE.patch],
    ]);
    assert.match(report.findings[1]!.message, /no_divide\.patch: the engine would refuse to serve this bug: .*"Symptom file missing for no_divide\.patch"/);
  });

  test('check --staged judges the index: what is staged in the bugs folder, and the symptoms the commit holds', async () => {
    const repo = await curriculumRepo();
    await repo.writeJson(`${BUGS}/no_factor_draft.json`, DEFINITIONS.noFactor);
    assert.deepEqual((await repo.checkJson(['--staged'])).findings, [], 'not staged: not in the commit');
    await repo.git.add(`${BUGS}/no_factor_draft.json`);
    let report = await repo.checkJson(['--staged']);
    assert.deepEqual(only(report), [['orphan', 'error', `${BUGS}/no_factor_draft.json`]]);
    assert.match(report.findings[0]!.fix, /git mv /);
    await repo.git.rm(['--cached', '-q', `${BUGS}/no_factor_draft.json`]);

    // Deleted from the working tree but still committed: the commit keeps it.
    await repo.remove(NO_DIVIDE.symptom);
    assert.deepEqual(findingsOf(await repo.checkJson(['--staged']), 'engine-pick'), []);
    await repo.write(NO_DIVIDE.symptom, await repo.git.show([`HEAD:${NO_DIVIDE.symptom}`]));
    // On disk but taken out of the index: the commit would lack it.
    await repo.git.rm(['--cached', '-q', NO_DIVIDE.symptom]);
    report = await repo.checkJson(['--staged']);
    const [missing] = findingsOf(report, 'engine-pick');
    assert.match(missing!.message, new RegExp(`requires ${NO_DIVIDE.symptom} beside it, which is not staged`));
    assert.equal(missing!.fix, `git add ${NO_DIVIDE.symptom}`);
  });

  test("with a manifest, the engine's folders are the ones it names, and only those", async () => {
    const repo = await curriculumRepo();
    await repo.writeJson('curricula/c1/manifest.json', { curriculum_name: 'c1', modules: [{ id: 'ops', path: 'modules/ops' }] });
    await repo.writeJson(`${BUGS}/no_factor_draft.json`, DEFINITIONS.noFactor);
    // A bugs folder no manifest names: the engine never reads it.
    await repo.writeJson('curricula/c1/modules/unlisted/bugs/x_draft.json', DEFINITIONS.noFactor);
    const report = await repo.checkJson();
    assert.deepEqual(only(report), [['orphan', 'error', `${BUGS}/no_factor_draft.json`]]);
  });
});
