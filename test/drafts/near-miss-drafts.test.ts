import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { draftFileOf } from '../../src/drafts/patch-drafts.js';
import { moveLegacyNearMissDraft, nearMissDraftFileOf } from '../../src/drafts/near-miss-drafts.js';
import { copyTree, exampleCurriculum, removedAtExit, runInProcess } from '../support/cli-run.js';

// Near-miss drafts live under .bug-author/drafts/, never in the engine's bugs folder (the engine
// picks every *.json there as a bug); build moves the ones an older bug-author left there.

const STAMP = { status: 'DRAFT — needs review: verification did not give `exact`', generator: 'openai', verdict: 'differs', reason: null, diff: '- a\n+ b' };
const draftJson = (stamped: boolean) => JSON.stringify({ id: 'x', injection_type: 'ast', logic: [], metadata: stamped ? { draft: STAMP } : { note: 'mine' } }, null, 2);

function tempRoot(): string {
  return removedAtExit(mkdtempSync(path.join(os.tmpdir(), 'bug-author-near-miss-')));
}

test('a near-miss draft has a place of its own, apart from the repair drafts of the same bug', () => {
  const root = '/project';
  const output = '/project/curricula/c/modules/m/bugs/x.json';
  const patch = '/project/curricula/c/modules/m/bugs/x.patch';
  const file = nearMissDraftFileOf(root, output);
  assert.equal(file, '/project/.bug-author/drafts/curricula/c/modules/m/bugs/x.near-miss.json');
  assert.notEqual(file, draftFileOf(root, patch));
  assert.notEqual(file, `${draftFileOf(root, patch)}.json`);
});

test('only a draft carrying bug-author\'s stamp is moved; an author\'s own file, or a link, stays', async () => {
  const root = tempRoot();
  const bugs = path.join(root, 'curricula/c/modules/m/bugs');
  mkdirSync(bugs, { recursive: true });
  const bug = (name: string) => ({ name, outputFile: path.join(bugs, `${name}.json`) });

  writeFileSync(path.join(bugs, 'ours_draft.json'), draftJson(true));
  const moved = await moveLegacyNearMissDraft(root, bug('ours'));
  assert.deepEqual(moved, { from: path.join(bugs, 'ours_draft.json'), to: nearMissDraftFileOf(root, bug('ours').outputFile), superseded: false });
  assert.ok(!existsSync(path.join(bugs, 'ours_draft.json')));
  assert.equal(readFileSync(moved!.to, 'utf8'), draftJson(true), 'moved, not rewritten');

  writeFileSync(path.join(bugs, 'mine_draft.json'), draftJson(false));
  writeFileSync(path.join(bugs, 'broken_draft.json'), '{ not json');
  assert.equal(await moveLegacyNearMissDraft(root, bug('mine')), undefined);
  assert.equal(await moveLegacyNearMissDraft(root, bug('broken')), undefined);
  assert.equal(readFileSync(path.join(bugs, 'mine_draft.json'), 'utf8'), draftJson(false));
  assert.ok(existsSync(path.join(bugs, 'broken_draft.json')));

  const outside = path.join(tempRoot(), 'elsewhere.json');
  writeFileSync(outside, draftJson(true));
  symlinkSync(outside, path.join(bugs, 'linked_draft.json'));
  assert.equal(await moveLegacyNearMissDraft(root, bug('linked')), undefined, 'a link is neither followed nor moved');
  assert.ok(existsSync(path.join(bugs, 'linked_draft.json')));

  // A newer draft already in place: the old one, ours, is superseded and goes.
  writeFileSync(path.join(bugs, 'ours_draft.json'), draftJson(true).replace('"x"', '"older"'));
  assert.equal((await moveLegacyNearMissDraft(root, bug('ours')))?.superseded, true);
  assert.ok(!existsSync(path.join(bugs, 'ours_draft.json')));
  assert.equal(readFileSync(moved!.to, 'utf8'), draftJson(true), 'the newer draft is kept');
});

test('build moves a stamped <bug>_draft.json out of the bugs folder, says where, and leaves an author\'s own', async () => {
  const root = copyTree(exampleCurriculum, 'bug-author-near-miss-build-');
  mkdirSync(path.join(root, '.git'));
  const variance = path.join(root, 'curricula/tinystats_101/modules/variance/bugs');
  const correlation = path.join(root, 'curricula/tinystats_101/modules/correlation/bugs');
  writeFileSync(path.join(variance, 'sample_uses_population_draft.json'), draftJson(true));
  writeFileSync(path.join(correlation, 'missing_sqrt_draft.json'), draftJson(false));
  const result = await runInProcess(['build', '--no-llm', path.join(variance, 'sample_uses_population.patch'), path.join(correlation, 'missing_sqrt.patch')], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const to = '.bug-author/drafts/curricula/tinystats_101/modules/variance/bugs/sample_uses_population.near-miss.json';
  assert.match(result.stderr, new RegExp(`moved curricula/tinystats_101/modules/variance/bugs/sample_uses_population_draft\\.json, .*the engine would pick it as a bug.*, to ${to.replaceAll('.', '\\.')}`));
  assert.ok(!existsSync(path.join(variance, 'sample_uses_population_draft.json')));
  assert.equal(readFileSync(path.join(root, to), 'utf8'), draftJson(true));
  assert.equal(readFileSync(path.join(correlation, 'missing_sqrt_draft.json'), 'utf8'), draftJson(false), 'an author\'s own file is never moved');
  assert.doesNotMatch(result.stderr, /missing_sqrt_draft/);
});
