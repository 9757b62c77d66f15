import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { exampleCurriculum, runInProcess, writableCopy } from '../support/cli-run.js';

// README "Writing a plugin": its generator (.mjs), reporter (.ts) and config (.ts) are written
// into a project as a user would, `bug-author` resolved from node_modules, and run.

/** Code blocks whose first line is `// <file name>`, by file name. */
function readmeFiles(): Map<string, string> {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Writing a plugin'), readme.indexOf('## Development'));
  return new Map([...section.matchAll(/```(?:js|ts)\n\/\/ (\S+)\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
}

test('the README’s generator and reporter run as a project’s config loads them', async () => {
  const files = readmeFiles();
  assert.deepEqual([...files.keys()].sort(), ['bug-author.config.ts', 'bug-times.ts', 'house-definitions.mjs']);
  for (const [name, code] of files) assert.ok(code.split('\n').length <= 30, `${name} stays short`);

  const root = writableCopy(exampleCurriculum, 'bug-author-readme-');
  mkdirSync(path.join(root, 'node_modules'));
  symlinkSync(packageRoot, path.join(root, 'node_modules', 'bug-author'), 'dir');
  for (const [name, code] of files) writeFileSync(path.join(root, name), code);

  // A hand-kept definition for one bug, a broken one for another; synthesis does the rest.
  const first = await runInProcess(['build', '--no-llm', 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt.patch'], root);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const built = JSON.parse(readFileSync(path.join(root, 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt.json'), 'utf8'));
  assert.equal(built.metadata.bug_author.generator, 'synth', 'no house definition yet');
  delete built.metadata;
  mkdirSync(path.join(root, 'definitions', 'correlation'), { recursive: true });
  writeFileSync(path.join(root, 'definitions', 'correlation', 'missing_sqrt.json'), JSON.stringify(built));
  mkdirSync(path.join(root, 'definitions', 'zscores'), { recursive: true });
  writeFileSync(path.join(root, 'definitions', 'zscores', 'no_constant_guard.json'), '{ "id": ');

  const patches = readdirSync(path.join(root, 'curricula'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.patch'));
  for (const patch of patches) rmSync(path.join(root, 'curricula', patch.replace(/\.patch$/, '.json')), { force: true });
  // No --force: the house generator is asked again (a manual generator's answers are never cached).
  const result = await runInProcess(['build', '--no-llm'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /✔ correlation\/missing_sqrt +house +exact/);
  assert.match(result.stdout, /✔ zscores\/no_constant_guard +synth +exact/, 'a broken house file fails over to synthesis');

  const csv = readFileSync(path.join(root, 'bug-times.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'bug,status,generator,ms');
  assert.equal(csv.length, patches.length + 1);
  assert.ok(csv.includes(`correlation/missing_sqrt,built,house,${csv.find((l) => l.startsWith('correlation/'))!.split(',')[3]}`));
  for (const row of csv.slice(1)) assert.match(row, /^[\w/]+,built,(house|synth),\d+$/);

  // The house generator's broken file is that bug's reason when nothing else can build it.
  writeFileSync(path.join(root, 'bug-author.config.ts'), files.get('bug-author.config.ts')!.replace('houseDefinitions(), synthGenerator()', 'houseDefinitions()'));
  const alone = await runInProcess(['build', '--no-llm', '--force', 'curricula/tinystats_101/modules/zscores/bugs/no_constant_guard.patch'], root);
  assert.equal(alone.code, 1);
  assert.match(alone.stdout, /✖ zscores\/no_constant_guard .*\n {4}house: .*JSON/);
});
