// bug-author as a user's project gets it: packed (`npm pack`, the files the package ships),
// unpacked into the project's node_modules beside its dependencies, its types checked by tsc
// from there, and driven from plain Node through the `bug-author` entry (test/api/fixtures/consumer.ts).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { VARIANT_KINDS } from '../../src/contracts.js';
import { packageRoot } from '../../src/package-root.js';
import { exampleCurriculum, pythonChoiceEnv, removedAtExit, sharedCorpus, writableCopy } from '../support/cli-run.js';
import { OPS_PY, Project } from '../watch/support/watch-fixture.js';

const fixtures = path.join(packageRoot, 'test', 'api', 'fixtures');

/** A project with bug-author installed from its packed tarball, and its dependencies beside it. */
function installedProject(): string {
  assert.ok(existsSync(path.join(packageRoot, 'dist', 'src', 'index.js')), 'dist/ is built (npm test builds it first)');
  const project = removedAtExit(mkdtempSync(path.join(os.tmpdir(), 'bug-author-user-')));
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], { cwd: packageRoot, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const modules = path.join(project, 'node_modules');
  mkdirSync(modules);
  execFileSync('tar', ['-xzf', path.join(project, packed), '-C', modules]);
  renameSync(path.join(modules, 'package'), path.join(modules, 'bug-author'));
  for (const entry of readdirSync(path.join(packageRoot, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'bug-author') continue;
    symlinkSync(path.join(packageRoot, 'node_modules', entry), path.join(modules, entry));
  }
  // The outside generator, a package of its own that depends on bug-author.
  cpSync(path.join(fixtures, 'pinned-deletion'), path.join(modules, 'pinned-deletion'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  // README's examples of the API, verbatim, are type-checked beside the consumer.
  const examples = readmeApiExamples();
  examples.forEach((code, i) => writeFileSync(path.join(project, `readme-example-${i}.ts`), code));
  // Options a user's project may well have (Vite's template, @tsconfig/strictest): bug-author's
  // types are its emitted declarations, so none of them reaches into its sources.
  const strictest = { exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noUnusedLocals: true, noUnusedParameters: true, noImplicitReturns: true, verbatimModuleSyntax: true, erasableSyntaxOnly: true };
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, ...strictest, skipLibCheck: true, resolveJsonModule: true, types: ['node'], outDir: 'out' },
      files: ['consumer.ts', ...examples.map((_, i) => `readme-example-${i}.ts`)],
    }),
  );
  cpSync(path.join(fixtures, 'consumer.ts'), path.join(project, 'consumer.ts'));
  return project;
}

/** The TypeScript examples of README's "Programmatic API" section. */
function readmeApiExamples(): string[] {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Programmatic API'), readme.indexOf('## Writing a plugin'));
  const examples = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(examples.length >= 6, `${examples.length} examples in README's Programmatic API`);
  return examples;
}

test('a project with bug-author installed builds a curriculum, checks it, watches an edit, and runs an outside generator', async () => {
  const project = installedProject();
  // Typed from the installed package: tsc checks the consumer against node_modules/bug-author's types.
  const tsc = spawnSync(process.execPath, [path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  const corpus = existsSync(sharedCorpus) ? writableCopy(sharedCorpus) : writableCopy(exampleCurriculum);
  const generatorProject = Project.create({ root: path.join(project, 'generator-project'), config: "import { pinnedDeletion } from 'pinned-deletion';\nexport default { generators: [pinnedDeletion()] };\n" });
  generatorProject.write('students/alice.py', OPS_PY.replace('def scale(x, k):\n    y = x * k', 'def scale(x, k):\n    # a student who names things alike\n    y = x * k'));
  const out = execFileSync(process.execPath, ['out/consumer.js', corpus, generatorProject.root, 'students'], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: os.tmpdir(), ...pythonChoiceEnv() },
    maxBuffer: 16 * 1024 * 1024,
  });
  const seen = JSON.parse(out) as {
    build: { exitCode: number; statuses: Record<string, string>; failed: { bug: string; reason: string }[]; transfer: Record<string, { exact: number; total: number; kinds: string[] } | null>; usage: { calls: number } };
    check: { exitCode: number; errors: { kind: string; bug?: string }[]; transfer: number };
    watch: { ready: { bugs: number; upToDate: number; built: number; failed: number }; initial: number; changed: { bug: string; status: string; files: string[] }; closed: boolean };
    generator: { bug: string; status: string; generator: string | null; verdict: string | null; transfer: { exact: number; total: number; kinds: string[] } | null; reason: string | null }[];
    tried: string[];
  };

  // The build: every bug has an outcome; the built ones were tried on student-style variants.
  const bugs = Object.keys(seen.build.statuses);
  assert.ok(bugs.length >= 6, `${bugs.length} bugs`);
  const built = bugs.filter((b) => seen.build.statuses[b] === 'built');
  assert.ok(built.length >= 3, JSON.stringify(seen.build.statuses));
  for (const bug of built) assert.ok(seen.build.transfer[bug]!.total >= 3, `${bug}: transfer measured`);
  for (const { reason } of seen.build.failed) assert.ok(reason.length > 0);
  assert.equal(seen.build.exitCode, seen.build.failed.length ? 1 : 0);
  assert.equal(seen.build.usage.calls, 0, '--no-llm');

  // The check right after: what is wrong is exactly the JSON the failed bugs lack.
  assert.deepEqual(
    seen.check.errors.map((e) => `${e.kind} ${e.bug}`).sort(),
    seen.build.failed.map((f) => `missing ${f.bug}`).sort(),
  );
  assert.equal(seen.check.exitCode, seen.build.failed.length ? 1 : 0);

  // The watcher: an initial pass with nothing to do, then the edited symptom rebuilds its bug.
  assert.equal(seen.watch.ready.bugs, bugs.length);
  assert.equal(seen.watch.ready.built, 0, 'the build before left nothing to do');
  assert.equal(seen.watch.initial, bugs.length, 'every initial outcome reached the listener');
  assert.equal(seen.watch.changed.status, 'built');
  assert.equal(seen.watch.changed.files.length, 1);
  assert.match(seen.watch.changed.files[0]!, /_symptom\.txt$/);
  assert.equal(seen.watch.closed, true);

  // The outside generator, written against bug-author/plugin-kit alone: verified and transfer-checked.
  assert.equal(seen.generator.length, 4);
  for (const outcome of seen.generator) {
    assert.deepEqual([outcome.status, outcome.generator, outcome.verdict], ['built', 'pinned-deletion', 'exact'], `${outcome.bug}: ${outcome.reason}`);
    const kinds = outcome.transfer?.kinds ?? [];
    assert.ok(kinds.every((kind) => (VARIANT_KINDS as readonly string[]).includes(kind)), kinds.join(', '));
    for (const kind of ['renamed-locals', 'renamed-arguments', 'lookalike']) assert.ok(kinds.includes(kind), `${outcome.bug}: tried on ${kind}`);
    assert.ok(outcome.transfer!.exact >= 4, `${outcome.bug}: ${JSON.stringify(outcome.transfer)}`);
  }
  assert.ok(generatorProject.read('curricula/c1/modules/scale/bugs/drop_add.json').includes('"generator": "pinned-deletion"'));
  // …and its definitions tried on a student file: the ones for `scale`, `shift` inject (and break the program), `norm` is absent.
  assert.deepEqual(seen.tried, ['norm/drop_len absent', 'scale/drop_add broke', 'scale/drop_double broke', 'shift/drop_sub broke']);
});
