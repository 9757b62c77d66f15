import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { copyTree, exampleCurriculum, runChild, runInProcess, sharedCorpus } from '../support/cli-run.js';

const exampleBugs = (root: string) =>
  readdirSync(path.join(root, 'curricula'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.patch'))
    .map((f) => path.join(root, 'curricula', f));

function makeWritable(dir: string) {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) chmodSync(path.join(dir, entry), 0o755);
  chmodSync(dir, 0o755);
}

test('builds the example curriculum: every bug exact, JSON with provenance, summary', async () => {
  const root = copyTree(exampleCurriculum);
  rmSync(path.join(root, '.bug-author'), { recursive: true, force: true });
  const result = await runInProcess(['build', '--no-llm', '--review', 'review.md'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const patches = exampleBugs(root);
  const review = readFileSync(path.join(root, 'review.md'), 'utf8');
  assert.match(review, new RegExp(`Total Patches: ${patches.length}\\nSuccessful: ${patches.length}\\nFailed: 0\\nSuccess Rate: 100%`));
  assert.equal((review.match(/^\*\*Injection Test:\*\* ✅ exact/gm) ?? []).length, patches.length);
  assert.ok(patches.length >= 5);
  for (const patch of patches) {
    const json = JSON.parse(readFileSync(patch.replace(/\.patch$/, '.json'), 'utf8'));
    assert.equal(json.engine_version, '2.1');
    assert.equal(json.metadata.bug_author.generator, 'synth');
    assert.match(json.metadata.bug_author.input_hash, /^[0-9a-f]{64}$/);
    assert.equal(json.metadata.bug_author.inputs.patch, path.relative(root, patch));
  }
  assert.match(result.stdout, new RegExp(`Total patches:  ${patches.length}`));
  assert.match(result.stdout, /Success rate:   100%/);
  assert.match(result.stdout, /✔ .* synth +exact/);
});

test('a second build with unchanged inputs loads no Python and writes nothing', async () => {
  const root = copyTree(exampleCurriculum);
  const first = await runInProcess(['build', '--no-llm'], root);
  assert.equal(first.code, 0, first.stdout);
  const outputs = exampleBugs(root).map((p) => p.replace(/\.patch$/, '.json'));
  const before = outputs.map((f) => statSync(f).mtimeMs);
  const second = await runChild(['build', '--no-llm'], root);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal(second.pythonLoaded, false, 'pyodide must not load on a warm re-run');
  assert.deepEqual(outputs.map((f) => statSync(f).mtimeMs), before);
  assert.equal((second.stdout.match(/up to date/g) ?? []).length, outputs.length);
});

test('a hand-written JSON is kept (and verified) unless --force', async () => {
  const root = copyTree(exampleCurriculum);
  const [patch] = exampleBugs(root);
  const output = patch!.replace(/\.patch$/, '.json');
  await runInProcess(['build', '--no-llm'], root);
  const manual = JSON.parse(readFileSync(output, 'utf8'));
  delete manual.metadata.bug_author;
  manual.description = 'Hand-written by the author.';
  const text = `${JSON.stringify(manual, null, 4)}\n`;
  writeFileSync(output, text);
  const kept = await runInProcess(['build', '--no-llm'], root);
  assert.equal(readFileSync(output, 'utf8'), text);
  assert.match(kept.stdout, /manual +exact .*hand-written, kept/);
  const forced = await runInProcess(['build', '--no-llm', '--force', patch!], root);
  assert.equal(forced.code, 0, forced.stdout);
  assert.equal(JSON.parse(readFileSync(output, 'utf8')).metadata.bug_author.generator, 'synth');
});

test('a stale JSON that still injects exactly only gets its provenance refreshed', async () => {
  const root = copyTree(exampleCurriculum);
  const patch = exampleBugs(root).find((p) => existsSync(p.replace(/\.patch$/, '_symptom.txt')))!;
  await runInProcess(['build', '--no-llm'], root);
  const output = patch.replace(/\.patch$/, '.json');
  const old = JSON.parse(readFileSync(output, 'utf8'));
  writeFileSync(patch.replace(/\.patch$/, '_symptom.txt'), 'A reworded symptom.\n');
  const result = await runInProcess(['build', '--no-llm', patch], root);
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /provenance refreshed/);
  const fresh = JSON.parse(readFileSync(output, 'utf8'));
  assert.notEqual(fresh.metadata.bug_author.input_hash, old.metadata.bug_author.input_hash);
  assert.deepEqual(fresh.logic, old.logic);
});

test('bad inputs fail with a clear message naming the file while the other bugs build', async () => {
  const root = copyTree(exampleCurriculum);
  const bugsDir = path.join(root, 'curricula', 'bad', 'modules', 'broken', 'bugs');
  mkdirSync(bugsDir, { recursive: true });
  const pkg = readdirSync(path.join(root, 'modes', 'developer'))[0]!;
  const refFile = readdirSync(path.join(root, 'modes', 'developer', pkg)).find((f) => f.endsWith('.py') && f !== '__init__.py')!;
  const target = `${pkg}/${refFile}`;
  const firstLine = readFileSync(path.join(root, 'modes', 'developer', target), 'utf8').split('\n')[0]!;
  writeFileSync(path.join(bugsDir, 'does_not_apply.patch'), `--- a/${target}\n+++ b/${target}\n@@ -1,1 +1,1 @@\n-this line is not in the file\n+neither is this\n`);
  writeFileSync(path.join(bugsDir, 'empty.patch'), '');
  writeFileSync(path.join(bugsDir, 'latin1.patch'), Buffer.concat([Buffer.from(`--- a/${target}\n+++ b/${target}\n@@ -1,1 +1,1 @@\n-${firstLine}\n+# caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
  writeFileSync(path.join(bugsDir, 'escapes.patch'), '--- a/../../../../../etc/hosts\n+++ b/../../../../../etc/hosts\n@@ -1,1 +1,1 @@\n-a\n+b\n');
  writeFileSync(path.join(bugsDir, 'missing_ref.patch'), '--- a/pkg/nowhere.py\n+++ b/pkg/nowhere.py\n@@ -1,3 +1,3 @@\n def f(a, b):\n-    return a + b\n+    return a\n \n');
  mkdirSync(path.join(root, 'modes', 'developer', 'broken'), { recursive: true });
  writeFileSync(path.join(root, 'modes', 'developer', 'broken', 'syntax.py'), 'def f(a, b:\n    return a + b\n');
  writeFileSync(path.join(root, 'modes', 'developer', 'broken', 'blob.py'), Buffer.from([0x64, 0x65, 0x66, 0x00, 0x0a]));
  writeFileSync(path.join(bugsDir, 'binary_ref.patch'), '--- a/broken/blob.py\n+++ b/broken/blob.py\n@@ -1,1 +1,1 @@\n-def\n+fed\n');
  writeFileSync(path.join(bugsDir, 'syntax_error.patch'), '--- a/broken/syntax.py\n+++ b/broken/syntax.py\n@@ -1,2 +1,2 @@\n def f(a, b:\n-    return a + b\n+    return a\n');

  const result = await runInProcess(['build', '--no-llm'], root);
  assert.equal(result.code, 1);
  const line = (bug: string) => {
    const i = result.stdout.indexOf(`broken/${bug} `);
    assert.ok(i >= 0, `no line for ${bug}:\n${result.stdout}`);
    return result.stdout.slice(i, result.stdout.indexOf('\n', result.stdout.indexOf('\n', i) + 1));
  };
  assert.match(line('does_not_apply'), /does_not_apply\.patch:3: hunk 1 of 1 .* no longer exists in modes\/developer\//);
  assert.match(line('empty'), /empty\.patch: the patch is empty/);
  assert.match(line('latin1'), /latin1\.patch:5: patch is not valid UTF-8 \(line 5\)/);
  assert.match(line('escapes'), /escapes\.patch: the patch path .* leads outside the project root/);
  assert.match(line('binary_ref'), /modes\/developer\/broken\/blob\.py: reference file is a binary file/);
  assert.match(line('syntax_error'), /modes\/developer\/broken\/syntax\.py:1: Python syntax error in the reference file/);
  assert.match(line('missing_ref'), /synth +exact .*\(snippet mode\)/);
  assert.match(line('missing_ref'), /reference pkg\/nowhere\.py not found .*snippet mode/);
  for (const patch of exampleBugs(root).filter((p) => !p.includes(`${path.sep}bad${path.sep}`))) {
    assert.ok(existsSync(patch.replace(/\.patch$/, '.json')), `${patch} should still build`);
  }
  assert.ok(!existsSync(path.join(bugsDir, 'does_not_apply.json')));
});

test('an invalid config exits 2 naming the file and the problem', async () => {
  const root = copyTree(exampleCurriculum);
  writeFileSync(path.join(root, 'bug-author.config.mjs'), 'export default { concurrency: "lots" };\n');
  makeWritable(root);
  const result = await runInProcess(['build'], root);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /configuration error in .*bug-author\.config\.mjs: 'concurrency' must be an integer/);
});

test('usage errors exit 2', async () => {
  const root = copyTree(exampleCurriculum);
  assert.equal((await runInProcess(['build', '--frobnicate'], root)).code, 2);
  assert.equal((await runInProcess(['build', 'no/such.patch'], root)).code, 2);
  assert.equal((await runInProcess(['nonsense'], root)).code, 2);
  const help = await runInProcess(['build', '--help'], root);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: bug-author build/);
});

test('the shared corpus: 17 of 21 exact offline, golden JSONs untouched, softmax golden differs', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = copyTree(sharedCorpus);
  makeWritable(root);
  const goldens = ['softmax/bugs/no_subtract_max.json', 'silu/bugs/missing_multiply.json', 'rmsnorm/bugs/missing_keepdim.json'].map((f) =>
    path.join(root, 'curricula/cs336_a1/modules', f),
  );
  const goldenText = goldens.map((f) => readFileSync(f, 'utf8'));
  const result = await runInProcess(['build'], root, {});
  assert.equal(result.code, 1, 'bugs that need the LLM make the build fail without a key');
  assert.deepEqual(goldens.map((f) => readFileSync(f, 'utf8')), goldenText);
  // 14 generated + the silu and rmsnorm goldens; the softmax golden is kept though it differs.
  const exact = (result.stdout.match(/^\[[ \d]+\/21\] ✔ .* exact /gm) ?? []).length;
  assert.ok(exact >= 16, `${exact} exact:\n${result.stdout}`);
  assert.match(result.stdout, /• softmax\/no_subtract_max +manual +differs/);
  assert.match(result.stdout, /Bugs needing the LLM generator or manual authoring/);
  assert.match(result.stdout, /OPENAI_API_KEY is not set/);

  // Transfer to student-style code, as check reports it from the verdicts the build cached.
  const check = await runInProcess(['check', '--format', 'json'], root);
  const { transfer, pythonLoaded } = JSON.parse(check.stdout) as {
    pythonLoaded: boolean;
    transfer: { bug: string; variants: { kind: string; outcome: string }[]; referenceBound?: string[] }[];
  };
  assert.equal(pythonLoaded, false, 'the build cached every verdict, transfer included');
  assert.equal(transfer.length, 16, 'the 16 definitions exact on the reference');
  const exactOn = (t: (typeof transfer)[number], ...kinds: string[]) => kinds.every((k) => t.variants.find((v) => v.kind === k)?.outcome === 'exact');
  const localsAndMoved = transfer.filter((t) => exactOn(t, 'renamed-locals', 'moved'));
  const argumentsToo = transfer.filter((t) => exactOn(t, 'renamed-locals', 'moved', 'renamed-arguments'));
  assert.ok(localsAndMoved.length >= 13, `${localsAndMoved.length}/16 with locals renamed and positions moved`);
  assert.ok(argumentsToo.length >= 12, `${argumentsToo.length}/16 with arguments renamed too`);
  for (const t of transfer.filter((t) => !argumentsToo.includes(t))) {
    assert.ok(t.referenceBound?.length, `${t.bug} does not transfer, so it must be reference-bound`);
    assert.ok(t.variants.every((v) => v.outcome !== 'wrong'), `${t.bug} fails loudly, never wrongly`);
  }
  const generated = transfer.filter((t) => !['silu/missing_multiply', 'rmsnorm/missing_keepdim'].includes(t.bug));
  assert.deepEqual(generated.filter((t) => t.variants.some((v) => v.outcome === 'wrong')).map((t) => t.bug), [], 'no generated definition is ever wrong');
  // The hand-written silu and rmsnorm goldens also rewrite a look-alike elsewhere: named, with the remedy.
  assert.match(result.stdout, /Definitions that inject something else[^\n]*\n(  - .*\n)*  - silu\/missing_multiply \(hand-written\): lookalike/);
  const remedy = /hint: hand-written JSON is never replaced on its own.*\n +bug-author build --force (.*)/.exec(result.stdout);
  assert.ok(remedy, result.stdout);
  assert.deepEqual(remedy[1]!.split(' ').sort(), ['curricula/cs336_a1/modules/rmsnorm/bugs/missing_keepdim.patch', 'curricula/cs336_a1/modules/silu/bugs/missing_multiply.patch']);
  // Synthesis expresses the softmax bug exactly too when asked to replace the golden, and the
  // remedy the hint gives replaces the other two with definitions that are never wrong.
  const forced = await runInProcess(['build', '--no-llm', '--force', 'curricula/cs336_a1/modules/softmax/bugs/no_subtract_max.patch', ...remedy[1]!.split(' ')], root);
  assert.equal(forced.code, 0, forced.stdout);
  assert.match(forced.stdout, /✔ softmax\/no_subtract_max +synth +exact/);
  for (const bug of ['silu/missing_multiply', 'rmsnorm/missing_keepdim']) {
    // Exact on every variant but where the student restructured the site itself (loud, never wrong).
    assert.match(forced.stdout, new RegExp(`✔ ${bug} +synth +exact +transfer \\d+/\\d+ (no-match)? `), forced.stdout);
  }
  assert.doesNotMatch(forced.stdout, /WRONG/);
});

test('library mode: solution.py above bugs/ is the reference, with no config', async () => {
  const root = copyTree(path.join(exampleCurriculum, 'README.md').replace(/README\.md$/, 'modes'), 'bug-author-lib-');
  const problem = path.join(root, 'problems', 'pair_count');
  mkdirSync(path.join(problem, 'bugs'), { recursive: true });
  writeFileSync(
    path.join(problem, 'solution.py'),
    'def pair_count(nums, target):\n    count = 0\n    for i in range(len(nums)):\n        for j in range(i + 1, len(nums)):\n            if nums[i] + nums[j] == target:\n                count += 1\n    return count\n',
  );
  writeFileSync(
    path.join(problem, 'bugs', 'self_pair.patch'),
    '--- a/solution.py\n+++ b/solution.py\n@@ -2,5 +2,5 @@\n     count = 0\n     for i in range(len(nums)):\n-        for j in range(i + 1, len(nums)):\n+        for j in range(i, len(nums)):\n             if nums[i] + nums[j] == target:\n                 count += 1\n',
  );
  writeFileSync(path.join(problem, 'symptom.txt'), 'Counts an element paired with itself.\n');
  const result = await runInProcess(['build', '--no-llm'], root);
  assert.equal(result.code, 0, result.stdout);
  const json = JSON.parse(readFileSync(path.join(problem, 'bugs', 'self_pair.json'), 'utf8'));
  assert.equal(json.metadata.bug_author.inputs.reference, 'problems/pair_count/solution.py');
  assert.equal(json.metadata.bug_author.inputs.symptom, 'problems/pair_count/symptom.txt');
  assert.equal(json.target_function, 'pair_count');
});
