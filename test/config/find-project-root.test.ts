import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { findProjectRoot } from '../../src/config/find-project-root.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bug-author-root-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, dirs: string[], files: string[] = []): string {
  const root = path.join(tmp, name);
  for (const dir of dirs) mkdirSync(path.join(root, dir), { recursive: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'export default {};\n');
  }
  return root;
}

test('from a subdirectory of the default layout, the root is the directory holding it (no config, no git)', () => {
  const root = tree('layout', ['curricula/cs336_a1/modules/softmax/bugs', 'modes/developer/pkg']);
  for (const sub of ['curricula/cs336_a1', 'curricula/cs336_a1/modules/softmax/bugs', 'modes/developer/pkg', '.']) {
    assert.deepEqual(findProjectRoot(path.join(root, sub)), { root, foundBy: 'default-layout' }, sub);
  }
  const onlySources = tree('sources-only', ['modes/developer/pkg', 'lessons/bugs']);
  assert.equal(findProjectRoot(path.join(onlySources, 'lessons/bugs')).root, onlySources);
});

test('a config file wins, the nearest one, and the search stops at the git top', () => {
  const root = tree('config', ['.git', 'teaching/curricula/c/modules/m/bugs'], ['bug-author.config.ts']);
  const sub = path.join(root, 'teaching/curricula/c/modules/m/bugs');
  assert.deepEqual(findProjectRoot(sub), { root, configFile: path.join(root, 'bug-author.config.ts'), foundBy: 'config-file' });

  const nested = tree('config/inner', ['.git', 'x/y']);
  assert.deepEqual(findProjectRoot(path.join(nested, 'x/y')), { root: nested, foundBy: 'git-top' }, 'nothing above the inner repository counts');
});

test('in a git repository without config or layout, the root is its top; a layout below the top is preferred', () => {
  const repo = tree('repo', ['.git', 'docs/guide', 'course/curricula/c/modules/m/bugs']);
  assert.deepEqual(findProjectRoot(path.join(repo, 'docs/guide')), { root: repo, foundBy: 'git-top' });
  assert.deepEqual(findProjectRoot(path.join(repo, 'course/curricula/c')), { root: path.join(repo, 'course'), foundBy: 'default-layout' });
});

test('with nothing to go by, the working directory itself (discovery then refuses when it holds no patches)', () => {
  const lone = tree('lone', ['problems/p/bugs']);
  assert.deepEqual(findProjectRoot(lone), { root: lone, foundBy: 'working-directory' });
});
