import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordReview, ReviewConflictError } from '../../src/review/record-review.js';
import { readReview as readReviewOf, reviewStateOf } from '../../src/outputs/review-record.js';
import { outputHash, readProvenance } from '../../src/outputs/provenance.js';
import { classifyOutputText } from '../../src/outputs/existing-output.js';
import type { BugDefinition } from '../../src/injector/definition.js';
import { ALWAYS_LIMIT, DEFINITIONS, NO_DIVIDE, NO_FACTOR, REFERENCE, REFERENCE_TEXT, curriculumRepo, findingsOf } from '../support/git-fixture.js';

const YES = { pattern: 'yes', replacement: 'yes', symptom: 'yes', ready: 'yes' } as const;

async function approve(repo: Awaited<ReturnType<typeof curriculumRepo>>, json: string, note = 'looks right'): Promise<void> {
  const definition = JSON.parse(await repo.read(json)) as BugDefinition;
  await recordReview(repo.abs(json), { answers: YES, status: 'approved', note, outputHash: outputHash(definition) }, 'Ada Reviewer', new Date('2025-03-04T05:06:07Z'));
}

describe('review record', () => {
  test('recording a review changes only the review block: the logic, provenance and output hash stay, check sees no hand edit', async () => {
    const repo = await curriculumRepo();
    const before = await repo.read(NO_FACTOR.json);
    await approve(repo, NO_FACTOR.json);
    const after = await repo.read(NO_FACTOR.json);
    const [was, now] = [JSON.parse(before) as BugDefinition, JSON.parse(after) as BugDefinition];
    assert.deepEqual(now.logic, was.logic);
    assert.equal(outputHash(now), outputHash(was));
    const { review, ...provenance } = readProvenance(now)!;
    assert.deepEqual(provenance, readProvenance(was));
    assert.equal(review?.reviewer, 'Ada Reviewer');
    assert.equal(review?.output_hash, outputHash(was));
    assert.equal(review?.input_hash, readProvenance(was)!.input_hash);
    assert.equal(review?.note, 'looks right');
    assert.equal(classifyOutputText(after).state, 'generated');
    assert.equal(reviewStateOf(now).state, 'approved');
    assert.equal(reviewStateOf(was).state, 'unreviewed');

    const report = await repo.checkJson();
    assert.deepEqual(report.findings, [], 'a reviewed JSON is neither stale nor hand-edited');
  });

  test('a hand-written JSON keeps its own formatting: recording a review adds the review and touches no other line', async () => {
    const repo = await curriculumRepo();
    const compact = `{\n\t"id": "always_limit", "description": "clip() always returns the limit",\n\t"injection_type": "find_replace", "engine_version": "2.1",\n\t"target_function": "clip",\n\t"logic": ${JSON.stringify(DEFINITIONS.alwaysLimit.logic)},\n\t"metadata": {"author": "hand-written"}\n}\n`;
    await repo.write(ALWAYS_LIMIT.json, compact);
    const shown = JSON.parse(compact) as BugDefinition;
    await recordReview(repo.abs(ALWAYS_LIMIT.json), { answers: YES, status: 'approved', outputHash: outputHash(shown) }, 'Ada', new Date('2025-03-04T05:06:07Z'));
    const after = await repo.read(ALWAYS_LIMIT.json);
    const kept = compact.split('\n').filter((line) => !line.includes('"metadata"'));
    for (const line of kept) assert.ok(after.split('\n').includes(line), `line kept as written: ${line}`);
    const reviewed = JSON.parse(after) as BugDefinition;
    assert.deepEqual({ ...reviewed, metadata: undefined }, { ...shown, metadata: undefined });
    assert.equal(reviewed.metadata?.author, 'hand-written');
    assert.equal(readReviewOf(reviewed)?.reviewer, 'Ada');
  });

  test('a review of a definition that changed since it was shown is refused, and the file is left alone', async () => {
    const repo = await curriculumRepo();
    const text = await repo.read(NO_DIVIDE.json);
    await assert.rejects(
      recordReview(repo.abs(NO_DIVIDE.json), { answers: YES, status: 'approved', outputHash: 'not-the-hash' }, 'Ada'),
      (err: unknown) => err instanceof ReviewConflictError && /changed since it was shown/.test(err.message),
    );
    assert.equal(await repo.read(NO_DIVIDE.json), text);
  });

  test('a hand-written JSON is reviewed too and stays hand-written; editing it makes the review stale', async () => {
    const repo = await curriculumRepo();
    await approve(repo, ALWAYS_LIMIT.json);
    const reviewed = JSON.parse(await repo.read(ALWAYS_LIMIT.json)) as BugDefinition;
    assert.equal(classifyOutputText(await repo.read(ALWAYS_LIMIT.json)).state, 'manual');
    assert.equal(reviewStateOf(reviewed).state, 'approved');
    reviewed.description = 'edited after the review';
    assert.equal(reviewStateOf(reviewed).state, 'stale');
  });
});

describe('check --require-review', () => {
  test('fails on unreviewed JSON, passes once all are approved, fails again naming the bug whose patch changed', async () => {
    const repo = await curriculumRepo();
    const plain = await repo.checkJson();
    assert.equal(plain.code, 0, 'without --require-review reviews are not asked for');

    const unreviewed = await repo.checkJson(['--require-review']);
    assert.equal(unreviewed.code, 1);
    assert.deepEqual(findingsOf(unreviewed, 'unreviewed').map((f) => f.bug).sort(), [ALWAYS_LIMIT.id, NO_DIVIDE.id, NO_FACTOR.id].sort());

    for (const bug of [NO_FACTOR, NO_DIVIDE, ALWAYS_LIMIT]) await approve(repo, bug.json);
    const approved = await repo.checkJson(['--require-review']);
    assert.equal(approved.code, 0, JSON.stringify(approved.findings));
    assert.equal(approved.pythonLoaded, false, 'a recorded review needs no new verification');

    await repo.write(NO_FACTOR.symptom, 'scale() forgets its factor.\n');
    const edited = await repo.checkJson(['--require-review']);
    assert.equal(edited.code, 1);
    const [stale, ...others] = findingsOf(edited, 'review-stale');
    assert.equal(others.length, 0);
    assert.equal(stale!.bug, NO_FACTOR.id);
    assert.match(stale!.message, /approved by Ada Reviewer on 2025-03-04; its patch, symptom or reference changed/);
  });

  test('requireReview in the config asks for it; a review saying "needs revision" is not an approval', async () => {
    const repo = await curriculumRepo();
    await repo.write('bug-author.config.mjs', 'export default { enginePickWarning: false, requireReview: true };\n');
    for (const bug of [NO_FACTOR, ALWAYS_LIMIT]) await approve(repo, bug.json);
    const definition = JSON.parse(await repo.read(NO_DIVIDE.json)) as BugDefinition;
    await recordReview(repo.abs(NO_DIVIDE.json), { answers: { ...YES, replacement: 'no', ready: 'no' }, status: 'needs-revision', note: 'divides twice', outputHash: outputHash(definition) }, 'Ada');
    const report = await repo.checkJson();
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug]), [['unreviewed', NO_DIVIDE.id]]);
    assert.match(report.findings[0]!.message, /needs revision by Ada .*divides twice/);
  });

  test('a review block bug-author did not write (the guide\'s APPROVED, no time) is no approval, and check says so without failing itself', async () => {
    const repo = await curriculumRepo();
    for (const bug of [NO_FACTOR, NO_DIVIDE]) await approve(repo, bug.json);
    const handWritten = JSON.parse(await repo.read(ALWAYS_LIMIT.json)) as BugDefinition;
    handWritten.metadata = { ...handWritten.metadata, bug_author: { review: { status: 'APPROVED', reviewer: 'Ada', output_hash: outputHash(handWritten) } } };
    await repo.writeJson(ALWAYS_LIMIT.json, handWritten);
    const report = await repo.checkJson(['--require-review']);
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.kind, f.bug, f.message]), [['unreviewed', ALWAYS_LIMIT.id, `${ALWAYS_LIMIT.json} has not been reviewed`]]);
  });

  test('a rebuilt definition keeps its review, marked stale', async () => {
    const repo = await curriculumRepo();
    await approve(repo, NO_FACTOR.json);
    // A reference change that the definition must follow: build regenerates it.
    await repo.write(REFERENCE, REFERENCE_TEXT.replace('def scale(x, factor):', 'def scale(x, factor):\n    """Scales x."""'));
    const build = await repo.cli(['build', '--no-llm']);
    assert.ok(build.code === 0 || build.code === 1, build.stderr);
    const rebuilt = JSON.parse(await repo.read(NO_FACTOR.json)) as BugDefinition;
    assert.equal(readProvenance(rebuilt)?.review?.reviewer, 'Ada Reviewer', 'the review is carried over');
    assert.equal(reviewStateOf(rebuilt).state, 'stale');
    const report = await repo.checkJson(['--require-review']);
    assert.ok(findingsOf(report, 'review-stale').some((f) => f.bug === NO_FACTOR.id));
  });
});

describe('reviews in reports', () => {
  test('build --review and the JUnit reporter show each review', async () => {
    const repo = await curriculumRepo();
    await approve(repo, NO_FACTOR.json, 'pinned');
    const build = await repo.cli(['build', '--no-llm', '--review', 'review.md']);
    assert.equal(build.code, 0, build.stderr);
    const document = await repo.read('review.md');
    assert.match(document, /## ops - no_factor[\s\S]*\*\*Review:\*\* approved by Ada Reviewer on 2025-03-04: pinned/);
    assert.match(document, /## ops - no_divide[\s\S]*\*\*Review:\*\* unreviewed/);

    const check = await repo.cli(['check', '--reporter', 'junit', '--output-file', 'report.xml']);
    assert.equal(check.code, 0, check.stdout);
    const xml = await repo.read('report.xml');
    assert.match(xml, /name="ops\/no_factor"[\s\S]*?<property name="review" value="approved by Ada Reviewer on 2025-03-04: pinned"\/>/);
    assert.match(xml, /name="ops\/no_divide"[\s\S]*?<property name="review" value="unreviewed"\/>/);
  });

  test('the JUnit review property says what check says: stale once a reviewed bug\'s symptom changed', async () => {
    const repo = await curriculumRepo();
    await approve(repo, NO_FACTOR.json, 'pinned');
    await repo.write(NO_FACTOR.symptom, 'scale() forgets its factor.\n');
    const check = await repo.cli(['check', '--require-review', '--reporter', 'junit', '--output-file', 'report.xml']);
    assert.equal(check.code, 1, check.stdout);
    const testCase = /<testcase [^>]*name="ops\/no_factor"[\s\S]*?<\/testcase>/.exec(await repo.read('report.xml'))![0];
    assert.match(testCase, /<failure message="[^"]*review-stale: /);
    assert.match(testCase, /<property name="review" value="review stale \(approved by Ada Reviewer on 2025-03-04; its patch, symptom or reference changed since it was reviewed\)"\/>/);
  });
});
