import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { discoverBugs, discoverOrphanJson } from '../../src/discover/discover-bugs.js';

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
