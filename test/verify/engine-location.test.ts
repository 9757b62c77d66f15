import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { ConfigError } from '../../src/errors.js';
import { locateEngine } from '../../src/verify/engine-location.js';
import { writeFakeEngine } from './support/fake-engine.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'bug-author-engine-'));

test('an engine under the project root is found; none, or verify.engine off, means no judge', async () => {
  const root = tempDir();
  assert.deepEqual(await locateEngine(resolveConfig({}, root)), { none: 'no engine/ast_harden/generic_injector.py under the project root' });
  writeFakeEngine(root);
  const found = await locateEngine(resolveConfig({}, root));
  assert.ok(!('none' in found));
  assert.equal(found.root, root);
  assert.equal(found.label, path.join('engine', 'ast_harden', 'generic_injector.py'));
  assert.equal(found.how, 'found under the project root');
  assert.deepEqual(await locateEngine(resolveConfig({ verify: { engine: 'off' } }, root)), { none: "verify.engine: 'off'" });
});

test('verify.engine names the directory holding engine/ (or the engine package itself), relative to the root', async () => {
  const root = tempDir();
  writeFakeEngine(path.join(root, 'vendor', 'mastery'));
  for (const setting of ['vendor/mastery', 'vendor/mastery/engine']) {
    const found = await locateEngine(resolveConfig({ verify: { engine: setting } }, root, path.join(root, 'bug-author.config.mjs')));
    assert.ok(!('none' in found), setting);
    assert.equal(found.root, path.join(root, 'vendor', 'mastery'), setting);
    assert.equal(found.how, 'verify.engine');
  }
});

test('a verify.engine that holds no engine is a configuration error naming the config file', async () => {
  const root = tempDir();
  const file = path.join(root, 'bug-author.config.mjs');
  await assert.rejects(locateEngine(resolveConfig({ verify: { engine: 'nowhere' } }, root, file)), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.file, file);
    assert.match(err.reason, /'verify\.engine': .*nowhere holds no engine\/ast_harden\/generic_injector\.py \(use 'off'/);
    return true;
  });
  assert.throws(() => resolveConfig({ verify: { engine: 3 } }, root, file), /'verify\.engine' must be 'auto', 'off' or the directory/);
  assert.throws(() => resolveConfig({ verify: { judge: 'x' } }, root, file), /unknown option 'verify\.judge'/);
  assert.throws(() => resolveConfig({ python: '' }, root, file), /'python' must be 'auto', 'pyodide' or the path of a Python interpreter/);
});

test("the fingerprint follows the engine's Python files", async () => {
  const root = tempDir();
  writeFakeEngine(root);
  const config = resolveConfig({}, root);
  const first = await locateEngine(config);
  const again = await locateEngine(config);
  assert.ok(!('none' in first) && !('none' in again));
  assert.equal(again.id, first.id);
  writeFileSync(path.join(root, 'engine', 'ast_harden', 'pattern_matcher.py'), '# changed\n', { flag: 'a' });
  const changed = await locateEngine(config);
  assert.ok(!('none' in changed));
  assert.notEqual(changed.id, first.id);
});
