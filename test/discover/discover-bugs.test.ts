import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { discoverBugs, discoverBugsByGlob, discoverOrphanJson } from '../../src/discover/discover-bugs.js';
import { assertGlobsMatch } from '../../src/discover/unmatched-globs.js';
import { ConfigError } from '../../src/errors.js';

function project(files: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-discover-'));
  for (const name of files) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), '');
  }
  return root;
}

test('the default convention: ids, outputs and symptom candidates', async () => {
  const root = project(['curricula/c/modules/softmax/bugs/no_max.patch', 'curricula/c/modules/softmax/bugs/no_max_symptom.txt']);
  const [bug] = await discoverBugs(resolveConfig({}, root));
  assert.equal(bug!.id, 'softmax/no_max');
  assert.equal(bug!.outputFile, path.join(root, 'curricula/c/modules/softmax/bugs/no_max.json'));
  assert.deepEqual(bug!.symptomCandidates, [
    path.join(root, 'curricula/c/modules/softmax/bugs/no_max_symptom.txt'),
    path.join(root, 'curricula/c/modules/softmax/symptom.txt'),
  ]);
});

test('with no configured glob and no match, any bugs/ folder is found (library layouts)', async () => {
  const root = project(['problems/two_sum/solution.py', 'problems/two_sum/bugs/off_by_one.patch']);
  const bugs = await discoverBugs(resolveConfig({}, root));
  assert.deepEqual(bugs.map((b) => b.id), ['two_sum/off_by_one']);
  assert.equal((await discoverBugs(resolveConfig({ bugs: 'curricula/**/*.patch' }, root))).length, 0);
});

test('orphan JSON: no patch beside it; scratch files are never outputs nor orphans', async () => {
  const root = project([
    'curricula/c/modules/m/bugs/a.patch',
    'curricula/c/modules/m/bugs/a.json',
    'curricula/c/modules/m/bugs/gone.json',
    'curricula/c/modules/m/bugs/a_draft.json',
    'curricula/c/modules/m/bugs/a_draft2.json',
    'curricula/c/modules/m/bugs/a_v2.json',
  ]);
  const config = resolveConfig({}, root);
  const orphans = await discoverOrphanJson(config, await discoverBugs(config));
  assert.deepEqual(orphans, [path.join(root, 'curricula/c/modules/m/bugs/gone.json')]);
});

test('each configured glob must match: the ones that match nothing are named; `!` globs only exclude', async () => {
  const root = project(['curricula/c/modules/m/bugs/a.patch', 'curricula/c/modules/m/bugs/skip.patch', 'lessons/one/bugs/b.patch']);
  const typo = await discoverBugsByGlob(resolveConfig({ bugs: ['curricula/*/module/*/bugs/*.patch', 'lessons/*/bugs/*.patch', '!**/skip.patch'] }, root));
  assert.deepEqual(typo.unmatched, ['curricula/*/module/*/bugs/*.patch']);
  assert.deepEqual(typo.bugs.map((b) => b.id), ['one/b']);
  const fine = await discoverBugsByGlob(resolveConfig({ bugs: ['curricula/*/modules/*/bugs/*.patch', '!**/skip.patch'] }, root));
  assert.deepEqual(fine.unmatched, []);
  assert.deepEqual(fine.bugs.map((b) => b.id), ['m/a']);
});

test('with the default globs, nothing found at all is "unmatched" too; a library layout is found', async () => {
  assert.deepEqual((await discoverBugsByGlob(resolveConfig({}, project(['README.md'])))).unmatched, ['curricula/*/modules/*/bugs/*.patch', '**/bugs/*.patch']);
  assert.deepEqual((await discoverBugsByGlob(resolveConfig({}, project(['problems/p/bugs/x.patch'])))).unmatched, []);
});

test('a glob that matches nothing is a configuration error naming it and the JSON no patch claims', async () => {
  const root = project(['curricula/c/modules/m/bugs/a.patch', 'curricula/c/modules/m/bugs/a.json', 'curricula/c/modules/m/bugs/a_draft.json', 'curricula/c/modules/n/bugs/b.json']);
  const config = { ...resolveConfig({ bugs: 'curricula/*/module/*/bugs/*.patch' }, root), file: path.join(root, 'bug-author.config.ts') };
  await assert.rejects(assertGlobsMatch(config, await discoverBugsByGlob(config)), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.file, config.file);
    assert.match(err.reason, /bugs glob 'curricula\/\*\/module\/\*\/bugs\/\*\.patch' matches no patch file under /);
    assert.match(err.reason, /2 bug JSON files that no patch claims would go unchecked: curricula\/c\/modules\/m\/bugs\/a\.json, curricula\/c\/modules\/n\/bugs\/b\.json$/);
    return true;
  });
});
