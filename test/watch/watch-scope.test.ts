import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { DependencyMap } from '../../src/watch/dependency-map.js';
import { WatchScope } from '../../src/watch/watch-scope.js';


test("the watch scope: inputs and config files in, the daemon's own files and unrelated trees out", () => {
  const root = '/project';
  const config = resolveConfig({}, root);
  const deps = new DependencyMap();
  const scope = new WatchScope(config, deps);
  const ignored = (rel: string) => scope.ignored(path.join(root, rel));
  const bugs = 'curricula/c/modules/m/bugs';

  assert.equal(scope.ignored(root), false);
  for (const kept of ['curricula', 'curricula/c/modules', `${bugs}/x.patch`, `${bugs}/x_symptom.txt`, `${bugs}/x.json`, 'modes', 'modes/developer/pkg/ops.py', 'bug-author.config.ts', '.env']) {
    assert.equal(ignored(kept), false, `${kept} is watched`);
  }
  for (const dropped of [
    '.bug-author',
    '.bug-author/watch.lock',
    '.bug-author/cache/results/ab/x.json',
    `${bugs}/.x.json.123.deadbeef.tmp`,
    `${bugs}/x_draft.json`,
    `${bugs}/x_v2.json`,
    `${bugs}/.x.patch.swp`,
    `${bugs}/x.patch~`,
    'node_modules',
    'curricula/node_modules',
    '.git',
    'docs',
    'README.md',
    'setup.py',
  ]) {
    assert.equal(ignored(dropped), true, `${dropped} is ignored`);
  }

  // A dependency outside the bases (a reference resolved against the root) is watched, with its directory.
  deps.set('/project/curricula/c/modules/m/bugs/x.patch', ['/project/lib/ref.py']);
  assert.equal(ignored('lib'), false);
  assert.equal(ignored('lib/ref.py'), false);
  assert.equal(ignored('lib/other.py'), true);
  deps.remove('/project/curricula/c/modules/m/bugs/x.patch');
  assert.equal(ignored('lib/ref.py'), true);
});

test('a dependency map answers which bugs a file affects', () => {
  const deps = new DependencyMap();
  deps.set('a.patch', ['a.patch', 'ref.py', 'a_symptom.txt']);
  deps.set('b.patch', ['b.patch', 'ref.py']);
  assert.deepEqual([...deps.bugsFor('ref.py')].sort(), ['a.patch', 'b.patch']);
  deps.set('b.patch', ['b.patch', 'other.py']);
  assert.deepEqual(deps.bugsFor('ref.py'), ['a.patch']);
  deps.extend('b.patch', ['more.py']);
  assert.deepEqual([...deps.filesOf('b.patch')].sort(), ['b.patch', 'more.py', 'other.py']);
  deps.remove('a.patch');
  assert.equal(deps.has('ref.py'), false);
});
