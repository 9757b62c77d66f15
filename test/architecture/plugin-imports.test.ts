import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import fg from 'fast-glob';
import { exportSource, packageRoot } from '../../src/package-root.js';
import { importsOf } from './module-graph.js';

const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};
/** The public entries: `bug-author`, `bug-author/plugin-kit`, `bug-author/plugins/…`, as specifiers and as the files they mean. */
const publicSpecifiers = new Set(Object.keys(pkg.exports).filter((key) => key.endsWith('.json') === false).map((key) => `bug-author${key.slice(1)}`));
const publicFiles = new Set(Object.keys(pkg.exports).flatMap((subpath) => exportSource(pkg.exports, subpath) ?? []));
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Why a plugin's import is not allowed, or undefined when it is. */
function problemOf(file: string, specifier: string): string | undefined {
  if (isBuiltin(specifier)) return undefined;
  if (specifier === 'bug-author' || specifier.startsWith('bug-author/')) return publicSpecifiers.has(specifier) ? undefined : 'not a public entry of bug-author';
  if (!specifier.startsWith('.')) return packageName(specifier) in pkg.dependencies ? undefined : 'a package bug-author does not depend on';
  const target = path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts');
  const ownPlugin = file.split('/').slice(0, 2).join('/');
  if (target.startsWith(`${ownPlugin}/`)) return undefined;
  return publicFiles.has(target) ? undefined : `reaches into ${target}: import it from bug-author or bug-author/plugin-kit`;
}

test('plugins import bug-author only through its public entries (bug-author, bug-author/plugin-kit)', () => {
  const files = fg.sync('plugins/**/*.ts', { cwd: packageRoot }).sort();
  assert.ok(files.length >= 20, `${files.length} plugin modules`);
  const problems: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const { specifier } of importsOf(file, readFileSync(path.join(packageRoot, file), 'utf8'))) {
      checked++;
      const problem = problemOf(file, specifier);
      if (problem) problems.push(`${file}: '${specifier}' ${problem}`);
    }
  }
  assert.ok(checked > 50, `${checked} imports checked`);
  assert.deepEqual(problems, []);
});

test('the rule itself: internal modules are refused, the entries and a plugin\'s own files are not', () => {
  assert.match(problemOf('plugins/synth/x.ts', '../../src/python/tree.js') ?? '', /reaches into src\/python\/tree\.ts/);
  assert.match(problemOf('plugins/synth/x.ts', '../openai/prompt.js') ?? '', /reaches into plugins\/openai\/prompt\.ts/);
  assert.match(problemOf('plugins/synth/x.ts', 'bug-author/src/python/tree.js') ?? '', /not a public entry/);
  assert.equal(problemOf('plugins/synth/x.ts', '../../src/plugin-kit.js'), undefined);
  assert.equal(problemOf('plugins/synth/x.ts', '../../src/index.js'), undefined);
  assert.equal(problemOf('plugins/synth/x.ts', 'bug-author/plugin-kit'), undefined);
  assert.equal(problemOf('plugins/synth/x.ts', './pinning.js'), undefined);
  assert.equal(problemOf('plugins/openai/x.ts', 'openai'), undefined);
  assert.equal(problemOf('plugins/openai/x.ts', 'node:fs'), undefined);
});
