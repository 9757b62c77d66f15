import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findConfigFile, loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

function tempProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-config-'));
  mkdirSync(path.join(root, '.git'));
  return root;
}

test('no config file: the corpus conventions apply at the working directory', async () => {
  const root = tempProject();
  const config = await loadConfig({ cwd: root });
  assert.equal(config.root, root);
  assert.equal(config.file, undefined);
  assert.deepEqual(config.bugs, ['curricula/*/modules/*/bugs/*.patch']);
  assert.deepEqual(config.sourceRoots, ['modes/developer']);
  assert.equal(config.cacheDir, path.join(root, '.bug-author/cache'));
});

test('a TypeScript config is found from a subdirectory and typed values are kept', async () => {
  const root = tempProject();
  writeFileSync(
    path.join(root, 'bug-author.config.ts'),
    `const sourceRoots: string[] = ['src'];\nexport default { bugs: 'bugs/**/*.patch', sourceRoots, concurrency: 2 };\n`,
  );
  mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
  assert.equal(findConfigFile(path.join(root, 'a', 'b')), path.join(root, 'bug-author.config.ts'));
  const config = await loadConfig({ cwd: path.join(root, 'a', 'b') });
  assert.equal(config.root, root);
  assert.deepEqual(config.bugs, ['bugs/**/*.patch']);
  assert.deepEqual(config.sourceRoots, ['src']);
  assert.equal(config.concurrency, 2);
});

test('the search stops at the repository root', () => {
  const outer = tempProject();
  writeFileSync(path.join(outer, 'bug-author.config.mjs'), 'export default {};\n');
  const inner = path.join(outer, 'inner');
  mkdirSync(path.join(inner, '.git'), { recursive: true });
  assert.equal(findConfigFile(inner), undefined);
});

async function configError(source: string, name = 'bug-author.config.mjs'): Promise<ConfigError> {
  const root = tempProject();
  writeFileSync(path.join(root, name), source);
  try {
    await loadConfig({ cwd: root });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.file, path.join(root, name));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('invalid configs name the file and the problem', async () => {
  assert.match((await configError('export default { concurrency: 0 };')).reason, /'concurrency' must be an integer/);
  assert.match((await configError('export default { colour: "red" };')).reason, /unknown option 'colour'/);
  assert.match((await configError('export default { output: "{dir}/{name}.txt" };')).reason, /'output' must be a path template ending in \.json/);
  assert.match((await configError('export default { generators: [{}] };')).reason, /'generators\[0\]' is not a generator plugin/);
  assert.match((await configError('export default 42;')).reason, /must be an object/);
  assert.match((await configError('export const x = 1;')).reason, /no default export/);
  assert.match((await configError('export default {;', 'bug-author.config.ts')).reason, /cannot load/);
});

test('an explicit --config path that does not exist is an error', async () => {
  const root = tempProject();
  await assert.rejects(loadConfig({ cwd: root, configFile: 'nope.config.ts' }), (err: unknown) => err instanceof ConfigError && /not found/.test(err.reason));
});

test('a compiled TypeScript config is reused, and recompiled when it or a file it imports changes', async () => {
  const root = tempProject();
  writeFileSync(path.join(root, 'roots.ts'), `export const roots: string[] = ['one'];\n`);
  writeFileSync(path.join(root, 'bug-author.config.ts'), `import { roots } from './roots';\nexport default { sourceRoots: roots };\n`);
  assert.deepEqual((await loadConfig({ cwd: root })).sourceRoots, ['one']);
  assert.deepEqual((await loadConfig({ cwd: root })).sourceRoots, ['one']);
  writeFileSync(path.join(root, 'roots.ts'), `export const roots: string[] = ['two'];\n`);
  assert.deepEqual((await loadConfig({ cwd: root })).sourceRoots, ['two']);
  writeFileSync(path.join(root, 'bug-author.config.ts'), `export default { sourceRoots: ['three'] };\n`);
  assert.deepEqual((await loadConfig({ cwd: root })).sourceRoots, ['three']);
});
