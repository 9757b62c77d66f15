import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALWAYS_LIMIT, DEFINITIONS, NO_DIVIDE, NO_FACTOR, PATCHES, curriculumRepo, findingsOf } from '../support/git-fixture.js';

const EDITED_NO_FACTOR = PATCHES[NO_FACTOR.patch]!.replace('# BUG: the factor is ignored', '# BUG: factor dropped');

describe('check --staged judges the index, not the working tree', () => {
  test('partially staged: the staged patch and JSON agree, the unstaged edit does not count', async () => {
    const repo = await curriculumRepo();
    await repo.write(NO_FACTOR.patch, EDITED_NO_FACTOR);
    await repo.writeGenerated(NO_FACTOR, DEFINITIONS.noFactor);
    await repo.git.add([NO_FACTOR.patch, NO_FACTOR.json]);
    // A further edit of the symptom, not staged, makes the working tree stale but not the commit.
    await repo.write(NO_FACTOR.symptom, 'not staged\n');
    const staged = await repo.checkJson(['--staged']);
    assert.equal(staged.code, 0, JSON.stringify(staged.findings));
    assert.deepEqual(staged.findings, []);
    const disk = await repo.checkJson();
    assert.deepEqual(disk.findings.map((f) => [f.kind, f.bug]), [['stale', NO_FACTOR.id]]);
  });

  test('a staged patch whose regenerated JSON is not staged fails with "build && git add"', async () => {
    const repo = await curriculumRepo();
    await repo.write(NO_FACTOR.patch, EDITED_NO_FACTOR);
    await repo.writeGenerated(NO_FACTOR, DEFINITIONS.noFactor);
    await repo.git.add([NO_FACTOR.patch]);
    const report = await repo.checkJson(['--staged']);
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug, f.fix]), [['stale', NO_FACTOR.id, `bug-author build ${NO_FACTOR.patch} && git add ${NO_FACTOR.json}`]]);
    assert.equal((await repo.checkJson()).code, 0, 'the working tree itself is consistent');

    const text = await repo.cli(['check', '--staged']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(`fix: bug-author build ${NO_FACTOR.patch} && git add ${NO_FACTOR.json}`));
  });

  test('a new staged patch with its JSON only on disk: untracked (not staged); with nothing on disk: missing', async () => {
    const repo = await curriculumRepo();
    const extra = { patch: 'curricula/c1/modules/ops/bugs/extra.patch', json: 'curricula/c1/modules/ops/bugs/extra.json' };
    await repo.write(extra.patch, PATCHES[NO_DIVIDE.patch]!);
    await repo.write('curricula/c1/modules/ops/bugs/extra_symptom.txt', 'mean() returns the sum.\n');
    await repo.git.add([extra.patch, 'curricula/c1/modules/ops/bugs/extra_symptom.txt']);
    let report = await repo.checkJson(['--staged']);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.file, f.fix]), [['missing', extra.json, `bug-author build ${extra.patch} && git add ${extra.json}`]]);

    await repo.writeJson(extra.json, DEFINITIONS.noDivide);
    report = await repo.checkJson(['--staged']);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.file]), [['untracked', extra.json]]);
    assert.match(report.findings[0]!.message, /not staged/);
  });

  test('the staged JSON is read, not the one on disk; an unstaged new patch is not part of the commit', async () => {
    const repo = await curriculumRepo();
    await repo.write(ALWAYS_LIMIT.json, '{ broken');
    await repo.write('curricula/c1/modules/ops/bugs/not_added.patch', PATCHES[NO_DIVIDE.patch]!);
    await repo.write('curricula/c1/modules/ops/bugs/not_added_symptom.txt', 'mean() returns the sum.\n');
    const staged = await repo.checkJson(['--staged']);
    assert.equal(staged.code, 0, JSON.stringify(staged.findings));
    assert.equal(staged.bugs, 3);
    const disk = await repo.checkJson();
    assert.deepEqual(disk.findings.map((f) => f.kind).sort(), ['missing', 'schema-invalid']);
  });

  test('a patch deleted in the index leaves its staged JSON an orphan', async () => {
    const repo = await curriculumRepo();
    await repo.git.rm([NO_DIVIDE.patch, NO_DIVIDE.symptom]);
    const report = await repo.checkJson(['--staged']);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.file, f.fix]), [['orphan', NO_DIVIDE.json, `git rm ${NO_DIVIDE.json}, or restore its patch`]]);
  });

  test('outside a git repository --staged is a usage error (exit 2)', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bug-author-nogit-'));
    const { runInProcess } = await import('../support/cli-run.js');
    const result = await runInProcess(['check', '--staged'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /needs a git repository/);
  });
});

describe('check --since <ref> checks only bugs whose files changed', () => {
  test('a changed patch, symptom or JSON selects its bug; a changed reference selects every bug reading it', async () => {
    const repo = await curriculumRepo();
    let report = await repo.checkJson(['--since', 'HEAD']);
    assert.equal(report.code, 0);
    assert.equal(report.checked, 0);
    assert.equal(report.bugs, 3);

    await repo.write(NO_FACTOR.symptom, 'changed\n');
    await repo.writeJson(ALWAYS_LIMIT.json, { ...DEFINITIONS.alwaysLimit, description: 'reworded' });
    await repo.commitAll('edit');
    report = await repo.checkJson(['--since', 'HEAD~1']);
    assert.equal(report.checked, 2);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug]), [['stale', NO_FACTOR.id]]);
    // Uncommitted changes count too: CI may check a merge result that is not committed.
    await repo.write(NO_DIVIDE.symptom, 'changed\n');
    assert.equal((await repo.checkJson(['--since', 'HEAD~1'])).checked, 3);

    await repo.git.checkout(['--', '.']);
    await repo.write('modes/developer/tiny/ops.py', `${await repo.read('modes/developer/tiny/ops.py')}\n# trailing comment\n`);
    report = await repo.checkJson(['--since', 'HEAD']);
    assert.equal(report.checked, 3);
    assert.deepEqual(findingsOf(report, 'stale').map((f) => f.bug).sort(), [NO_DIVIDE.id, NO_FACTOR.id]);
  });

  test('--since with --staged compares the index with the ref', async () => {
    const repo = await curriculumRepo();
    await repo.write(NO_FACTOR.symptom, 'staged change\n');
    await repo.write(NO_DIVIDE.symptom, 'unstaged change\n');
    await repo.git.add([NO_FACTOR.symptom]);
    const report = await repo.checkJson(['--staged', '--since', 'HEAD']);
    assert.equal(report.checked, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug]), [['stale', NO_FACTOR.id]]);
  });

  test('an unknown ref is a usage error (exit 2)', async () => {
    const repo = await curriculumRepo();
    const result = await repo.cli(['check', '--since', 'no-such-branch']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--since no-such-branch: no such commit/);
    assert.equal((await repo.cli(['check', '--since', '--staged'])).code, 2);
  });
});
