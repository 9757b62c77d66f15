import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findProjectRoot } from '../../src/config/find-project-root.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';

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
  assert.equal(findProjectRoot(path.join(root, 'a', 'b')).configFile, path.join(root, 'bug-author.config.ts'));
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
  assert.equal(findProjectRoot(inner).configFile, undefined);
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
  assert.match((await configError('export default {;', 'bug-author.config.ts')).reason, /Expected identifier but found ";"/);
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

test('a config syntax error names the file, line and column and says what is wrong', async () => {
  const err = await configError(`export default {\n  bugs: ['x.patch'],,\n};\n`, 'bug-author.config.ts');
  assert.equal(err.line, 2);
  assert.equal(err.column, 21);
  assert.match(err.reason, /Expected identifier but found ","/);
  assert.doesNotMatch(err.reason, /Build failed/);
  // In a file the config imports: that file is named.
  const root = tempProject();
  writeFileSync(path.join(root, 'roots.ts'), `export const roots: string[] = [\n  'a'\n  'b',\n];\n`);
  writeFileSync(path.join(root, 'bug-author.config.ts'), `import { roots } from './roots';\nexport default { sourceRoots: roots };\n`);
  await assert.rejects(loadConfig({ cwd: root }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.file, path.join(root, 'roots.ts'));
    assert.equal(e.line, 3);
    assert.match(e.message, /roots\.ts:3:\d+: Expected "\]" but found "'b'"/);
    return true;
  });
});

test('an error thrown while the config runs names the config line', async () => {
  const err = await configError(`const roots: string[] = [];\nfunction pick(): string[] {\n  throw new Error('no roots configured');\n}\nexport default { sourceRoots: pick() };\n`, 'bug-author.config.ts');
  assert.match(err.reason, /cannot load: no roots configured/);
  assert.equal(err.line, 3);
});

test("a config in a directory with no node_modules imports 'bug-author' and its plugins from the running copy", async () => {
  const root = tempProject();
  assert.ok(!root.startsWith(packageRoot), 'the project is outside this package');
  writeFileSync(
    path.join(root, 'bug-author.config.ts'),
    `import { defineConfig } from 'bug-author';\nimport { synthGenerator } from 'bug-author/plugins/synth';\nexport default defineConfig({ generators: [synthGenerator()], concurrency: 3 });\n`,
  );
  const config = await loadConfig({ cwd: root });
  assert.equal(config.concurrency, 3);
  assert.deepEqual(config.generators?.map((g) => g.name), ['synth']);
  // A JavaScript config (ESM or CommonJS) goes the same way.
  rmSync(path.join(root, 'bug-author.config.ts'));
  writeFileSync(path.join(root, 'bug-author.config.js'), `const { defineConfig } = require('bug-author');\nmodule.exports = defineConfig({ concurrency: 5 });\n`);
  assert.equal((await loadConfig({ cwd: root })).concurrency, 5);
});

test('a compiled-config directory that cannot be written does not stop the config from loading', async () => {
  const root = tempProject();
  writeFileSync(path.join(root, '.bug-author'), 'a file where the state directory should be');
  writeFileSync(path.join(root, 'bug-author.config.ts'), `const n: number = 2;\nexport default { concurrency: n };\n`);
  assert.equal((await loadConfig({ cwd: root })).concurrency, 2);
});

test('a config compiled by another bug-author copy (npx, then a global install) is compiled again', async () => {
  const root = tempProject();
  writeFileSync(path.join(root, 'bug-author.config.ts'), `import { defineConfig } from 'bug-author';\nexport default defineConfig({ concurrency: 2 });\n`);
  assert.equal((await loadConfig({ cwd: root })).concurrency, 2);
  const dir = path.join(root, '.bug-author', 'config');
  const manifestFile = path.join(dir, 'bug-author.config.ts.manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  // What another copy left: same inputs, a module of its own.
  writeFileSync(path.join(dir, 'other.mjs'), 'export default { concurrency: 9 };\n');
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, output: 'other.mjs', runner: '/elsewhere/bug-author@0.0.1' }));
  assert.equal((await loadConfig({ cwd: root })).concurrency, 2);
  assert.notEqual(JSON.parse(readFileSync(manifestFile, 'utf8')).runner, '/elsewhere/bug-author@0.0.1');
});
