import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fg from 'fast-glob';
import { discoverInFileList, discoverOnDisk } from '../../src/check/discover-snapshot.js';
import { loadConfig } from '../../src/config/load-config.js';
import { copyTree, sharedCorpus } from '../support/cli-run.js';

test('discovery over a file list (the git index) finds exactly what discovery on disk finds', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = copyTree(sharedCorpus);
  const bugs = path.join(root, 'curricula', 'cs336_a1', 'modules', 'softmax', 'bugs');
  for (const name of ['orphan.json', 'no_subtract_max_draft.json', 'no_subtract_max_v2.json']) writeFileSync(path.join(bugs, name), '{}');
  writeFileSync(path.join(root, 'curricula', 'cs336_a1', 'stray.patch'), '');
  const config = await loadConfig({ cwd: root });
  const files = await fg('**/*', { cwd: root, absolute: true, dot: true, onlyFiles: true });

  const onDisk = await discoverOnDisk(config);
  const inList = await discoverInFileList(config, files);
  assert.equal(inList.bugs.length, 21);
  assert.deepEqual(inList.bugs, onDisk.bugs);
  assert.deepEqual(inList.orphans, [path.join(bugs, 'orphan.json')]);
  assert.deepEqual(inList.orphans, onDisk.orphans);
  // What the engine would pick there: the scratch files too, and never the stray patch outside a bugs folder.
  assert.deepEqual(inList.enginePicks, onDisk.enginePicks);
  assert.equal(inList.enginePicks.folders.length, 21);
  assert.deepEqual(inList.enginePicks.files.filter((f) => path.dirname(f) === bugs).map((f) => path.basename(f)), ['no_subtract_max.json', 'no_subtract_max.patch', 'no_subtract_max_draft.json', 'no_subtract_max_v2.json', 'orphan.json']);
  assert.ok(!inList.enginePicks.files.some((f) => f.endsWith('stray.patch')));
  assert.deepEqual(await discoverInFileList(config, []), { bugs: [], orphans: [], unmatched: ['curricula/*/modules/*/bugs/*.patch', '**/bugs/*.patch'], manifestProblems: [], enginePicks: { folders: [], files: [] } });
});

test('the same over a layout the default globs miss (the any-bugs-folder fallback)', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = copyTree(path.join(sharedCorpus, 'modes'));
  for (const file of ['lessons/one/bugs/a.patch', 'lessons/one/bugs/a.json', 'lessons/one/bugs/left.json', 'lessons/two/bugs/b.patch']) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  const config = await loadConfig({ cwd: root });
  const files = await fg('**/*', { cwd: root, absolute: true, dot: true, onlyFiles: true });
  const onDisk = await discoverOnDisk(config);
  assert.equal(onDisk.bugs.length, 2);
  assert.deepEqual(await discoverInFileList(config, files), onDisk);
});
