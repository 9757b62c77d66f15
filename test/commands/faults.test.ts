// Issue 9: under faults, `build` and `check` never crash with a stack trace, never clobber good
// JSON, and never turn the gate green by accident. Unwritable paths are refused for real: the CLI
// runs as `nobody` when the tests run as root (root ignores file modes).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { copyTree, exampleCurriculum, giveToUnprivileged, runAsUnprivileged, runInProcess, STACK_FRAME, type CliResult } from '../support/cli-run.js';

const COURSE = 'curricula/tinystats_101';
const REFERENCE = 'modes/developer/tinystats/descriptive.py';

function patchesOf(root: string): string[] {
  return readdirSync(path.join(root, 'curricula'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.patch'))
    .map((f) => path.join(root, 'curricula', f))
    .sort();
}

const jsonOf = (patch: string) => patch.replace(/\.patch$/, '.json');

/** Every file and directory under `root` with its size and mtime: equal snapshots mean nothing was written. */
function snapshot(root: string): Map<string, string> {
  const entries = readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
  return new Map(entries.map((entry) => {
    const s = statSync(path.join(root, entry));
    return [entry, `${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`];
  }));
}

function assertNoCrash(result: CliResult, what: string): void {
  assert.doesNotMatch(result.stdout, STACK_FRAME, `${what}: no stack trace on stdout`);
  assert.doesNotMatch(result.stderr, STACK_FRAME, `${what}: no stack trace on stderr:\n${result.stderr}`);
}

/** A patch synthesis cannot express (it inserts a statement): its failure is recorded in the cache. */
const INSERTING_PATCH = `--- a/tinystats/descriptive.py
+++ b/tinystats/descriptive.py
@@ -19,6 +19,7 @@
     if not data:
         raise ValueError("median() requires at least one data point")
     ordered = sorted(data)
+    ordered = ordered[1:]  # BUG: drops the smallest value
     mid = len(ordered) // 2
     if len(ordered) % 2 == 1:
         return ordered[mid]
`;

test('9.1 read-only cache directory: build and check work, say once that they could not cache, and a re-build writes nothing', async () => {
  const root = copyTree(exampleCurriculum);
  const cacheDir = path.join(root, '.bug-author', 'cache');
  mkdirSync(cacheDir, { recursive: true });
  giveToUnprivileged(root);
  chmodSync(cacheDir, 0o555);

  const build = await runAsUnprivileged(['build', '--no-llm'], root);
  assertNoCrash(build, 'build');
  assert.equal(build.code, 0, build.stdout + build.stderr);
  assert.match(build.stdout, /BUILD SUMMARY/);
  for (const patch of patchesOf(root)) assert.ok(existsSync(jsonOf(patch)), `${patch} was built`);
  assert.equal((build.stderr.match(/could not write the cache \.bug-author\/cache \(permission denied/g) ?? []).length, 1, build.stderr);
  assert.deepEqual(readdirSync(cacheDir), [], 'nothing was cached');

  const check = await runAsUnprivileged(['check'], root);
  assertNoCrash(check, 'check');
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.equal((check.stderr.match(/could not write the cache/g) ?? []).length, 1, check.stderr);

  const before = snapshot(root);
  const again = await runAsUnprivileged(['build', '--no-llm'], root);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(snapshot(root), before, 'an unchanged re-build writes nothing');
});

test('9.1 a regular file where the cache directory should be: build and check still work', async () => {
  const root = copyTree(exampleCurriculum);
  mkdirSync(path.join(root, '.bug-author'));
  writeFileSync(path.join(root, '.bug-author', 'cache'), 'not a directory');
  const build = await runInProcess(['build', '--no-llm'], root);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  for (const patch of patchesOf(root)) assert.ok(existsSync(jsonOf(patch)), `${patch} was built`);
  assert.equal((build.stderr.match(/could not write the cache \.bug-author\/cache \(a file is in the way/g) ?? []).length, 1, build.stderr);
  const check = await runInProcess(['check'], root);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stderr, /could not write the cache/);
});

test('9.1 an unchanged re-build writes nothing at all, failure records included', async () => {
  const root = copyTree(exampleCurriculum);
  writeFileSync(path.join(root, COURSE, 'modules/variance/bugs/drops_smallest.patch'), INSERTING_PATCH);
  const first = await runInProcess(['build', '--no-llm'], root);
  assert.equal(first.code, 1, 'the inserting patch fails');
  assert.ok(readdirSync(path.join(root, '.bug-author', 'cache', 'failures')).length > 0, 'its failure was recorded');
  const before = snapshot(root);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const second = await runInProcess(['build', '--no-llm'], root);
  assert.equal(second.code, 1);
  assert.deepEqual(snapshot(root), before);
});

test('9.2 the cache deleted during build: no stack trace, every bug built, the summary printed', async () => {
  const root = copyTree(exampleCurriculum);
  const cacheDir = path.join(root, '.bug-author', 'cache');
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'bug-author.mjs'), 'build', '--no-llm', '--concurrency', '1'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Each time the cache reappears (the build writes a verdict or result), delete it again.
  let wipes = 0;
  for (let done = false; !done; ) {
    done = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5))]);
    if (!done && existsSync(path.join(cacheDir, 'verdicts'))) {
      try {
        rmSync(cacheDir, { recursive: true, force: true });
        wipes++;
      } catch {
        // The build wrote into it meanwhile (ENOTEMPTY), as with a real `rm -rf`: try again.
      }
    }
  }
  const code = await exited;
  assert.ok(wipes >= 2, `the cache was wiped during the build (${wipes} times)`);
  assertNoCrash({ code: code ?? -1, stdout, stderr }, 'build');
  assert.equal(code, 0, stdout + stderr);
  assert.match(stdout, /Successful: +6 /);
  for (const patch of patchesOf(root)) assert.ok(existsSync(jsonOf(patch)), `${patch} was built`);
});

test('9.4 run from a subdirectory: the real root is used and no verified JSON changes', async () => {
  const root = copyTree(exampleCurriculum);
  const built = await runInProcess(['build', '--no-llm'], root);
  assert.equal(built.code, 0, built.stdout);
  const outputs = patchesOf(root).map(jsonOf);
  const texts = outputs.map((f) => readFileSync(f, 'utf8'));

  const sub = path.join(root, COURSE);
  const fromSub = await runInProcess(['build', '--no-llm'], sub);
  assert.equal(fromSub.code, 0, fromSub.stdout + fromSub.stderr);
  assert.match(fromSub.stdout, new RegExp(`Building 6 bugs in ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  assert.equal((fromSub.stdout.match(/up to date/g) ?? []).length, 6);
  assert.deepEqual(outputs.map((f) => readFileSync(f, 'utf8')), texts);
  assert.ok(!existsSync(path.join(sub, '.bug-author')), 'no cache in the subdirectory');
  const check = await runInProcess(['check'], path.join(sub, 'modules', 'variance'));
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

test('9.4 a verified JSON is not replaced by a snippet-mode one unless --force', async () => {
  const root = copyTree(exampleCurriculum);
  assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
  const outputs = patchesOf(root).map(jsonOf);
  const texts = outputs.map((f) => readFileSync(f, 'utf8'));

  // The references vanish (a wrong source root, a moved folder): every bug falls back to snippet mode.
  renameSync(path.join(root, 'modes', 'developer'), path.join(root, 'modes', 'moved'));
  const result = await runInProcess(['build', '--no-llm'], root);
  assertNoCrash(result, 'build');
  assert.equal(result.code, 1, result.stdout);
  assert.deepEqual(outputs.map((f) => readFileSync(f, 'utf8')), texts, 'every verified JSON is untouched');
  assert.match(result.stdout, /variance\/bugs\/sample_uses_population\.json kept: it was verified against the reference modes\/developer\/tinystats\/descriptive\.py, but no reference file was found/);
  assert.match(result.stdout, /bug-author build --force /);
  assert.match(result.stdout, /BUILD SUMMARY/);

  const zscores = path.join(root, COURSE, 'modules', 'zscores', 'bugs', 'no_constant_guard.patch');
  const forced = await runInProcess(['build', '--no-llm', '--force', zscores], root);
  assert.equal(forced.code, 0, forced.stdout);
  assert.equal(JSON.parse(readFileSync(jsonOf(zscores), 'utf8')).metadata.bug_author.snippet, true, 'replaced when forced');
});

test('9.7 a bugs glob that matches nothing: build and check exit 2 naming it and the JSON left unchecked', async () => {
  const root = copyTree(exampleCurriculum);
  assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { bugs: ['curricula/*/module/*/bugs/*.patch'] };\n`);
  for (const command of ['build', 'check']) {
    const result = await runInProcess([command], root);
    assert.equal(result.code, 2, `${command}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /configuration error in .*bug-author\.config\.mjs: bugs glob 'curricula\/\*\/module\/\*\/bugs\/\*\.patch' matches no patch file/);
    assert.match(result.stderr, /6 bug JSON files that no patch claims would go unchecked: curricula\/tinystats_101\/modules\//);
  }
  // One good glob does not hide a bad one.
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { bugs: ['curricula/*/modules/*/bugs/*.patch', 'extra/*/bugs/*.patch'] };\n`);
  const check = await runInProcess(['check'], root);
  assert.equal(check.code, 2);
  assert.match(check.stderr, /bugs glob 'extra\/\*\/bugs\/\*\.patch' matches no patch file/);
  // No config, no patches anywhere: refused too.
  rmSync(path.join(root, 'curricula'), { recursive: true });
  rmSync(path.join(root, 'bug-author.config.mjs'));
  const empty = await runInProcess(['check'], root);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no patch file found under .*: no config file sets `bugs`/);
});

test('9.8 temp files left by a killed run are swept by build and check; a live writer keeps its own', async () => {
  const root = copyTree(exampleCurriculum);
  assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const bugsDir = path.join(root, COURSE, 'modules', 'variance', 'bugs');
  const leftovers = () => [
    path.join(bugsDir, `.sample_uses_population.json.${dead}.0badc0de.tmp`),
    path.join(root, '.bug-author', 'cache', 'tmp', `.abcdef.json.${dead}.0badc0de.tmp`),
  ];
  const live = path.join(bugsDir, `.sample_uses_population.json.${process.pid}.0123abcd.tmp`);
  for (const command of ['build', 'check']) {
    for (const file of [...leftovers(), live]) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, '{"half": ');
    }
    const result = await runInProcess([command, ...(command === 'build' ? ['--no-llm'] : [])], root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const file of leftovers()) assert.equal(existsSync(file), false, `${command} removed ${file}`);
    assert.equal(existsSync(live), true, 'a live process keeps its temp file');
    assert.match(result.stderr, /removed 2 temp files left by an interrupted run/);
  }
});

test('9.11 check on a patch whose patched code does not parse gives that reason, not "missing … run build"', async () => {
  const root = copyTree(exampleCurriculum);
  const patch = path.join(root, COURSE, 'modules', 'variance', 'bugs', 'unbalanced.patch');
  writeFileSync(
    patch,
    `--- a/tinystats/descriptive.py\n+++ b/tinystats/descriptive.py\n@@ -47,3 +47,3 @@\n def stdev(data):\n     """Sample standard deviation, matching statistics.stdev."""\n-    return math.sqrt(variance(data, ddof=1))\n+    return math.sqrt(variance(data, ddof=1)\n`,
  );
  writeFileSync(path.join(path.dirname(patch), 'unbalanced_symptom.txt'), 'stdev() raises.\n');
  const result = await runInProcess(['check', '--format', 'json'], root);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as { findings: { kind: string; bug?: string; message: string; fix: string }[] };
  const findings = report.findings.filter((f) => f.bug === 'variance/unbalanced');
  assert.deepEqual(findings.map((f) => f.kind), ['input-error'], JSON.stringify(findings));
  assert.match(findings[0]!.message, /unbalanced\.patch:\d+: the patched reference is not valid Python/);
  assert.match(findings[0]!.fix, /^fix curricula\/tinystats_101\/modules\/variance\/bugs\/unbalanced\.patch/);
});

test('9.11 a config syntax error exits 2 with file:line:column and the reason', async () => {
  const root = copyTree(exampleCurriculum);
  writeFileSync(path.join(root, 'bug-author.config.ts'), `export default {\n  concurrency: 2\n  bugs: ['x'],\n};\n`);
  for (const command of ['build', 'check']) {
    const result = await runInProcess([command], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /configuration error in .*bug-author\.config\.ts:3:3: Expected "}" but found "bugs"/);
    assert.doesNotMatch(result.stderr, /Build failed/);
  }
});

test("12.4 the shipped CLI loads a config importing 'bug-author' from a project with no node_modules", async () => {
  const root = copyTree(exampleCurriculum);
  assert.ok(!root.startsWith(packageRoot));
  writeFileSync(
    path.join(root, 'bug-author.config.ts'),
    `import { defineConfig } from 'bug-author';\nimport { synthGenerator } from 'bug-author/plugins/synth';\n\nexport default defineConfig({ generators: [synthGenerator()] });\n`,
  );
  giveToUnprivileged(root);
  const result = await runAsUnprivileged(['build'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /config bug-author\.config\.ts/);
  assert.match(result.stdout, /Successful: +6 /);
});
