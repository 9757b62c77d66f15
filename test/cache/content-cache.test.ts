import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { cacheTempDir, createContentCache } from '../../src/cache/content-cache.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bug-author-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const entryFile = (dir: string, namespace: string, key: string) => path.join(dir, namespace, key.slice(0, 2), `${key}.json`);

test('entries round-trip; an identical put writes nothing; temp files go to one directory', async () => {
  const dir = path.join(tmp, 'round-trip');
  const cache = createContentCache(dir);
  await cache.put('results', 'abcdef', { status: 'generated' });
  assert.deepEqual(await cache.get('results', 'abcdef'), { status: 'generated' });
  assert.equal(await cache.get('results', 'abcdee'), undefined);
  const file = entryFile(dir, 'results', 'abcdef');
  const written = statSync(file).mtimeMs;
  await new Promise((resolve) => setTimeout(resolve, 20));
  await cache.put('results', 'abcdef', { status: 'generated' });
  assert.equal(statSync(file).mtimeMs, written, 'the same entry is not rewritten');
  await cache.put('results', 'abcdef', { status: 'failed' });
  assert.deepEqual(await cache.get('results', 'abcdef'), { status: 'failed' });
  assert.deepEqual(readdirSync(cacheTempDir(dir)), [], 'no temp file is left behind');
  assert.equal(cache.writeProblem(), undefined);
});

test('a file where the cache directory should be: reads miss, writes fail once, quietly, and are not retried', async () => {
  // ENOTDIR refuses the write whoever runs the test (root included).
  const dir = path.join(tmp, 'in-the-way');
  writeFileSync(dir, 'not a directory');
  const cache = createContentCache(dir);
  assert.equal(await cache.get('results', 'abcdef'), undefined);
  await cache.put('results', 'abcdef', { status: 'generated' });
  const problem = cache.writeProblem();
  assert.ok(problem, 'the failure is remembered');
  assert.equal(problem.dir, dir);
  assert.match(problem.code ?? '', /^(ENOTDIR|EEXIST)$/);
  assert.match(problem.reason, /a file is in the way/);
  await cache.put('verdicts', '123456', { verdict: 'exact' });
  assert.equal(cache.writeProblem(), problem, 'only the first failure is kept');
});

test('a cache directory removed between writes is made again', async () => {
  const dir = path.join(tmp, 'removed');
  const cache = createContentCache(dir);
  await cache.put('failures', 'aa11', { reason: 'one' });
  rmSync(dir, { recursive: true, force: true });
  await cache.put('failures', 'aa22', { reason: 'two' });
  assert.deepEqual(await cache.get('failures', 'aa22'), { reason: 'two' });
  assert.equal(cache.writeProblem(), undefined);
});
