// previewInjection: a bug's definition injected into its reference or a student-style variant,
// against the patched program, with the no-match explanation (a small curriculum in git).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { previewInjection, UsageError } from '../../src/index.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { curriculumRepo, DEFINITIONS, NO_DIVIDE, NO_FACTOR } from '../support/git-fixture.js';

const env = pythonChoiceEnv();

test('the reference: injected and expected texts, exact, the variants on offer', async () => {
  const repo = await curriculumRepo();
  const preview = await previewInjection({ cwd: repo.root, env, bug: NO_FACTOR.id });
  assert.equal(preview.subject, 'reference');
  assert.equal(preview.outcome, 'exact');
  assert.match(preview.originalText!, /return x \* factor/);
  assert.match(preview.injectedText!, /def scale\(x, factor\):\n {4}return x\n/);
  assert.equal(preview.injectedText, preview.expectedText);
  assert.match(preview.injectedDiff!, /^-\s+return x \* factor$/m);
  assert.equal(preview.againstExpected, '');
  assert.ok(preview.variants.some((v) => v.kind === 'renamed-locals' || v.kind === 'renamed-arguments'), JSON.stringify(preview.variants));
  assert.equal(preview.explanation, undefined);
});

test('a student-style variant, picked by kind; an unknown kind says which there are', async () => {
  const repo = await curriculumRepo();
  const { variants } = await previewInjection({ cwd: repo.root, env, bug: NO_FACTOR.patch });
  const kind = variants[0]!.kind;
  const preview = await previewInjection({ cwd: repo.root, env, bug: NO_FACTOR.patch, variant: kind });
  assert.equal(preview.subject, kind);
  assert.equal(preview.description, variants[0]!.description);
  assert.ok(['exact', 'no-match'].includes(preview.outcome), `${kind}: ${preview.outcome} ${preview.reason ?? ''}`);
  assert.ok(preview.expectedText && preview.originalText);
  const unknown = await previewInjection({ cwd: repo.root, env, bug: NO_FACTOR.patch, variant: 'no-such-kind' });
  assert.equal(unknown.outcome, 'error');
  assert.match(unknown.reason!, new RegExp(`no 'no-such-kind' variant of this reference \\(have: .*${kind}`));
});

test('a no-match is explained: which pass found nothing, what it looked for, what is missing, the nearest line', async () => {
  const repo = await curriculumRepo();
  const wrong = structuredClone(DEFINITIONS.noDivide);
  (wrong.logic[0]!.pattern as { op: string }).op = 'FloorDiv';
  const preview = await previewInjection({ cwd: repo.root, env, bug: NO_DIVIDE.id, definition: wrong });
  assert.equal(preview.outcome, 'no-match');
  assert.equal(preview.injectedText, undefined);
  const explanation = preview.explanation!;
  assert.equal(explanation.explained.pass, 1);
  assert.equal(explanation.explained.type, 'find_and_track');
  assert.match(explanation.lookingFor, /\/\//);
  assert.equal(explanation.targetFunction, 'mean');
  assert.deepEqual(explanation.missing && [explanation.missing.path, explanation.missing.expected, explanation.missing.found], ['op', 'the operator FloorDiv', 'Div']);
  assert.deepEqual(explanation.nearest && [explanation.nearest.line, explanation.nearest.code], [7, 'return total / len(values)']);
  assert.equal(preview.reason, explanation.message);
});

test('an unknown bug is a UsageError; a bug without a JSON is an error preview saying so', async () => {
  const repo = await curriculumRepo();
  await assert.rejects(previewInjection({ cwd: repo.root, env, bug: 'ops/nothing' }), UsageError);
  await repo.remove(NO_DIVIDE.json);
  const preview = await previewInjection({ cwd: repo.root, env, bug: NO_DIVIDE.id });
  assert.equal(preview.outcome, 'error');
  assert.match(preview.reason!, /no JSON \(build it first\)/);
});
