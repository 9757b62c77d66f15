import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { discoverEnginePicks } from '../../src/discover/engine-picks.js';
import { pathListFs } from '../../src/git/path-list-fs.js';

// The engine picks every *.json and *.patch directly in a bugs/ folder, dot files included,
// case-sensitive; bug-author lists what it would pick to warn about scratch files there.

function project(): { root: string; bugs: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-picks-'));
  const bugs = path.join(root, 'curricula', 'c', 'modules', 'm', 'bugs');
  mkdirSync(path.join(bugs, 'folder.json'), { recursive: true });
  for (const name of ['off_by_one.patch', 'off_by_one.json', '.scratch.json', 'NOTES.JSON', 'off_by_one_symptom.txt', 'draft.patch.orig']) writeFileSync(path.join(bugs, name), '{}');
  writeFileSync(path.join(root, 'elsewhere.patch'), '');
  symlinkSync(path.join(root, 'elsewhere.patch'), path.join(bugs, 'linked.patch'));
  return { root, bugs };
}

test('the files the engine would pick: *.json and *.patch directly in the folder, dot files and links to files included, nothing else', async () => {
  const { root, bugs } = project();
  const picks = await discoverEnginePicks(root, [bugs, path.join(root, 'curricula', 'c', 'modules', 'gone', 'bugs')]);
  assert.deepEqual(
    picks.files.map((f) => path.basename(f)),
    ['.scratch.json', 'linked.patch', 'off_by_one.json', 'off_by_one.patch'],
  );
  assert.ok(picks.files.every((f) => path.isAbsolute(f)));
  assert.equal(picks.folders.length, 2, 'a folder that does not exist is still one the engine picks from (it finds nothing there)');
});

test('the same picks in the git index (a list of paths) as on disk', async () => {
  const { root, bugs } = project();
  const indexed = ['off_by_one.patch', 'off_by_one.json', '.scratch.json', 'NOTES.JSON'].map((name) => path.join(bugs, name));
  const picks = await discoverEnginePicks(root, [bugs], pathListFs(indexed));
  assert.deepEqual(picks.files.map((f) => path.basename(f)), ['.scratch.json', 'off_by_one.json', 'off_by_one.patch']);
});
