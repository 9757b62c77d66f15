import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { ConfigError } from '../../src/errors.js';
import { copyTree, runInProcess, sharedCorpus } from '../support/cli-run.js';

const reference = 'import torch\n\n\ndef silu(x):\n    # gate the input\n    return x * torch.sigmoid(x)\n';
const patch = '--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -4,3 +4,3 @@\n def silu(x):\n     # gate the input by its sigmoid\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n';
const patchFile = 'curricula/c/modules/silu/bugs/missing_multiply.patch';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-cmd-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('bug-author refresh-patch', () => {
  test('rewrites a stale patch atomically (no backup unless asked); the refreshed one applies exactly and is left alone next time', async () => {
    const root = project({ 'modes/developer/pkg/act.py': reference, [patchFile]: patch });
    const first = await runInProcess(['refresh-patch', patchFile], root);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /✔ curricula\/c\/modules\/silu\/bugs\/missing_multiply\.patch: refreshed \(hunk 1 applied with fuzz 2 \(context lines differ\)\)/);
    const fresh = readFileSync(path.join(root, patchFile), 'utf8');
    assert.equal(fresh, '--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -3,4 +3,4 @@\n \n def silu(x):\n     # gate the input\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n');
    assert.ok(!existsSync(path.join(root, `${patchFile}.orig`)));
    const second = await runInProcess(['refresh-patch', patchFile], root);
    assert.match(second.stdout, /already applies exactly; left alone/);
    // GNU patch, as the engine runs it, agrees when it is installed.
    try {
      const copy = path.join(root, 'copy.py');
      writeFileSync(copy, reference);
      execFileSync('patch', [copy, path.join(root, patchFile)], { stdio: 'pipe' });
      assert.match(readFileSync(copy, 'utf8'), /    return torch\.sigmoid\(x\)\n$/);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  });

  test('--backup keeps the old patch; removed code that is gone is an error and nothing is written', async () => {
    const root = project({ 'modes/developer/pkg/act.py': reference, [patchFile]: patch });
    const backed = await runInProcess(['refresh-patch', '--backup', patchFile], root);
    assert.equal(backed.code, 0);
    assert.equal(readFileSync(path.join(root, `${patchFile}.orig`), 'utf8'), patch);

    writeFileSync(path.join(root, 'modes/developer/pkg/act.py'), reference.replace('x * torch.sigmoid(x)', 'x * torch.sigmoid(x * 1.0)'));
    const before = readFileSync(path.join(root, patchFile), 'utf8');
    const gone = await runInProcess(['refresh-patch', patchFile], root);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /the code it removes, `return x \* torch\.sigmoid\(x\)`, no longer exists in modes\/developer\/pkg\/act\.py; the closest statements it does contain: line 6 `return x \* torch\.sigmoid\(x \* 1\.0\)`/);
    assert.equal(readFileSync(path.join(root, patchFile), 'utf8'), before);
    // No patch named: every patch of the project, this rotted one included (re-anchoring finds nothing: no draft).
    const all = await runInProcess(['refresh-patch'], root);
    assert.equal(all.code, 1);
    assert.match(all.stderr, /re-anchoring: hunk 1: its removed code `return x \* torch.sigmoid\(x\)` is not there, even up to formatting and renamed locals in `silu`/);
    // What is left to do is said once, after every patch: re-author it, and how.
    assert.match(all.stderr, /\n1 rotted patch could not be repaired offline: re-author it against today's reference, by hand or by the LLM \(OPENAI_API_KEY set\):\n {4}bug-author refresh-patch --reauthor curricula\/c\/modules\/silu\/bugs\/missing_multiply\.patch\n$/);
    assert.doesNotMatch(all.stderr, /has to be re-authored against the current reference/, 'not claimed before re-anchoring was tried');
    assert.equal((await runInProcess(['refresh-patch', '--force'], root)).code, 2, '--force goes with --accept');

    // A patch whose function is gone too has nothing for the LLM to re-author: by hand, or another file.
    writeFileSync(path.join(root, 'modes/developer/pkg/act.py'), 'import torch\n\n\ndef gelu(x):\n    return x * torch.erf(x)\n');
    const noFunction = await runInProcess(['refresh-patch', patchFile], root);
    assert.equal(noFunction.code, 1);
    assert.match(noFunction.stderr, /\n1 rotted patch changes no function today's reference defines \(none named, or gone\): correct the patch header if the code is in another file, else re-author it by hand against today's reference:\n {4}curricula\/c\/modules\/silu\/bugs\/missing_multiply\.patch\n$/);
    assert.doesNotMatch(noFunction.stderr, /--reauthor/);
  });
});

describe('bug-author refresh-patch: no reference file', () => {
  test('a snippet-mode patch with nothing lenient is left alone; one that needed recounting is refused, naming why', async () => {
    const root = project({ [patchFile]: patch });
    const alone = await runInProcess(['refresh-patch'], root);
    assert.equal(alone.code, 0, alone.stderr);
    assert.match(alone.stdout, /= curricula\/c\/modules\/silu\/bugs\/missing_multiply\.patch: nothing to refresh \(no reference file: verified against its hunks alone\); left alone/);
    assert.equal(alone.stderr, '');

    writeFileSync(path.join(root, patchFile), patch.replace('@@ -4,3 +4,3 @@', '@@ -4,4 +4,4 @@'));
    const miscounted = await runInProcess(['refresh-patch'], root);
    assert.equal(miscounted.code, 1);
    assert.match(miscounted.stderr, /reference pkg\/act\.py not found .*; a patch can only be refreshed against its reference/);
  });
});

describe('bug-author refresh-patch: a look-alike function', () => {
  test('a hunk whose function changed is not refreshed into the look-alike that fuzz would find', async () => {
    const lookAlike = 'import torch\n\n\ndef silu(x):\n    # gate the input\n    y = torch.sigmoid(x) * 1.0\n    return x * y\n\n\ndef swish(x):\n    # gate it\n    y = torch.sigmoid(x)\n    return x * y\n';
    const siluPatch = '--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -4,4 +4,4 @@\n def silu(x):\n     # gate the input by its sigmoid\n-    y = torch.sigmoid(x)\n+    y = torch.sigmoid(-x)\n     return x * y\n';
    const root = project({ 'modes/developer/pkg/act.py': lookAlike, [patchFile]: siluPatch });
    const refresh = await runInProcess(['refresh-patch', patchFile], root);
    assert.equal(refresh.code, 1);
    assert.match(refresh.stderr, /changes `silu`, but placed with fuzz 2 it would land in `swish` at line 12 of modes\/developer\/pkg\/act\.py/);
    assert.equal(readFileSync(path.join(root, patchFile), 'utf8'), siluPatch);
    const build = await runInProcess(['build', '--no-llm'], root);
    assert.equal(build.code, 1);
    assert.ok(!existsSync(path.join(root, patchFile.replace(/\.patch$/, '.json'))));
  });
});

describe('bug-author relocate-sources', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, () => {
  test('dry run by default; --apply moves the patches with git mv, writes the config, and check passes without the engine-pick warning', async () => {
    const root = copyTree(sharedCorpus);
    const patchOnly = 'curricula/cs336_a1/modules/text_generation/bugs/temperature_after_softmax.patch';
    writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default {\n  patchOnly: ['${patchOnly}'],\n};\n`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    // Two bugs compiled so far; every patch that is not patch-only moves (the engine would serve any left in bugs/).
    assert.equal((await runInProcess(['build', '--no-llm', 'curricula/cs336_a1/modules/silu/bugs/missing_multiply.patch', 'curricula/cs336_a1/modules/linear/bugs/missing_transpose.patch'], root)).code, 0);
    git('add', '-A');
    git('commit', '-qm', 'start');

    const dry = await runInProcess(['relocate-sources'], root);
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /= curricula\/cs336_a1\/modules\/text_generation\/bugs\/temperature_after_softmax\.patch stays: patch-only/);
    assert.match(dry.stdout, /Would move 20 patches/);
    assert.match(dry.stdout, /git mv curricula\/cs336_a1\/modules\/linear\/bugs\/missing_transpose\.patch curricula\/cs336_a1\/modules\/linear\/bug-sources\/missing_transpose\.patch/);
    assert.equal(git('status', '--porcelain'), '', 'a dry run changes nothing');

    const applied = await runInProcess(['relocate-sources', '--apply'], root);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(git('status', '--porcelain'), /^R  curricula\/cs336_a1\/modules\/linear\/bugs\/missing_transpose\.patch -> curricula\/cs336_a1\/modules\/linear\/bug-sources\/missing_transpose\.patch$/m);
    const config = readFileSync(path.join(root, 'bug-author.config.mjs'), 'utf8');
    assert.match(config, /bugs: \['curricula\/\*\/modules\/\*\/bug-sources\/\*\.patch', 'curricula\/\*\/modules\/\*\/bugs\/\*\.patch'\],\n  output: '\{moduleDir\}\/bugs\/\{name\}\.json',/);
    assert.match(config, /patchOnly: \['curricula/);

    const check = await runInProcess(['check', '--format', 'json'], root);
    const report = JSON.parse(check.stdout) as { findings: { kind: string; bug?: string; severity: string }[] };
    assert.deepEqual(report.findings.filter((f) => f.kind === 'engine-pick' && f.bug === undefined), []);
    // Only the two bugs the engine would refuse for want of a symptom remain (in bugs/, where the JSON are).
    assert.deepEqual(report.findings.filter((f) => f.kind === 'engine-pick').map((f) => [f.severity, f.bug]), [['warning', 'multihead_attention/missing_transpose_back'], ['warning', 'transformer_lm/missing_final_norm']]);
    // The moved bugs' JSON are still up to date (symptoms and outputs stayed in bugs/).
    // (The golden silu JSON also changes a look-alike in student-style code: a warning about the JSON, not the layout.)
    assert.deepEqual(report.findings.filter((f) => (f.bug === 'silu/missing_multiply' || f.bug === 'linear/missing_transpose') && f.kind !== 'does-not-transfer'), []);
    // The patch-only bug stays where the engine serves it, and passes.
    assert.deepEqual(report.findings.filter((f) => f.bug === 'text_generation/temperature_after_softmax'), []);
    // A second run has nothing left to move.
    assert.match((await runInProcess(['relocate-sources'], root)).stdout, /Nothing to move/);
  });

  test('a sibling layout set up by config alone builds into bugs/ and finds orphans there', async () => {
    const root = project({
      'modes/developer/pkg/act.py': reference,
      'curricula/c/modules/silu/bug-sources/missing_multiply.patch': patch.replace('     # gate the input by its sigmoid\n', '     # gate the input\n'),
      'curricula/c/modules/silu/bugs/missing_multiply_symptom.txt': 'silu returns the sigmoid.\n',
      'curricula/c/modules/silu/bugs/old_bug.json': '{}\n',
      'bug-author.config.mjs': `export default {\n  bugs: ['curricula/*/modules/*/bug-sources/*.patch'],\n  output: '{moduleDir}/bugs/{name}.json',\n  symptom: ['{moduleDir}/bugs/{name}_symptom.txt'],\n};\n`,
    });
    const build = await runInProcess(['build', '--no-llm'], root);
    assert.equal(build.code, 0, build.stdout);
    const json = JSON.parse(readFileSync(path.join(root, 'curricula/c/modules/silu/bugs/missing_multiply.json'), 'utf8')) as { metadata: { bug_author: { inputs: { symptom: string } } } };
    assert.equal(json.metadata.bug_author.inputs.symptom, 'curricula/c/modules/silu/bugs/missing_multiply_symptom.txt');
    const check = await runInProcess(['check', '--format', 'json'], root);
    const report = JSON.parse(check.stdout) as { findings: { kind: string; file: string }[] };
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.file]),
      [['orphan', 'curricula/c/modules/silu/bugs/old_bug.json']],
    );
  });
});

describe('bug-author relocate-sources: the new globs', () => {
  /** What check reports: how many bugs it found and its findings (it ran: no configuration error). */
  async function checkedBugs(root: string): Promise<{ bugs: number; findings: string[] }> {
    const check = await runInProcess(['check', '--format', 'json'], root);
    assert.notEqual(check.code, 2, check.stderr);
    const report = JSON.parse(check.stdout) as { bugs: number; findings: { kind: string; bug?: string }[] };
    return { bugs: report.bugs, findings: report.findings.map((f) => `${f.kind} ${f.bug ?? ''}`) };
  }

  const freshPatch = patch.replace('# gate the input by its sigmoid', '# gate the input');

  test('no patch-only bug: every patch moves, the old bugs/ glob is dropped, and build and check find the same bugs', async () => {
    const root = project({ 'modes/developer/pkg/act.py': reference, [patchFile]: freshPatch, 'curricula/c/modules/silu/bugs/missing_multiply_symptom.txt': 'silu returns the sigmoid.\n' });
    assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
    // Before: the engine would pick the patch over the JSON beside it.
    assert.deepEqual(await checkedBugs(root), { bugs: 1, findings: ['engine-pick '] });
    const applied = await runInProcess(['relocate-sources', '--apply'], root);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(readFileSync(path.join(root, 'bug-author.config.mjs'), 'utf8'), /bugs: \['curricula\/\*\/modules\/\*\/bug-sources\/\*\.patch'\],/);
    assert.ok(existsSync(path.join(root, 'curricula/c/modules/silu/bug-sources/missing_multiply.patch')));
    const build = await runInProcess(['build', '--no-llm'], root);
    assert.equal(build.code, 0, build.stderr);
    assert.deepEqual(await checkedBugs(root), { bugs: 1, findings: [] });
  });

  test('library mode (found through any bugs/ folder): the moved patches are found again', async () => {
    const root = project({
      'problems/silu/solution.py': reference,
      'problems/silu/bugs/missing_multiply.patch': freshPatch.replaceAll('pkg/act.py', 'solution.py'),
      'problems/silu/bugs/missing_multiply_symptom.txt': 'silu returns the sigmoid.\n',
    });
    assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
    // Before: the engine would pick the patch over the JSON beside it.
    assert.deepEqual(await checkedBugs(root), { bugs: 1, findings: ['engine-pick '] });
    const applied = await runInProcess(['relocate-sources', '--apply'], root);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(readFileSync(path.join(root, 'bug-author.config.mjs'), 'utf8'), /bugs: \['\*\*\/bug-sources\/\*\.patch'\],/);
    assert.equal((await runInProcess(['build', '--no-llm'], root)).code, 0);
    assert.deepEqual(await checkedBugs(root), { bugs: 1, findings: [] });
  });

  test('a bug outside a bug folder whose JSON the new output template would move: nothing is applied', async () => {
    const root = project({
      'modes/developer/pkg/act.py': reference,
      [patchFile]: patch,
      'extra/other.patch': patch,
    });
    writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default {\n  bugs: ['curricula/*/modules/*/bugs/*.patch', 'extra/*.patch'],\n};\n`);
    const dry = await runInProcess(['relocate-sources'], root);
    assert.match(dry.stdout, /= extra\/other\.patch stays: its folder is not one of bugFolders/);
    assert.match(dry.stderr, /extra\/other\.patch: its JSON would be read from extra\/bugs\/other\.json instead of extra\/other\.json/);
    const applied = await runInProcess(['relocate-sources', '--apply'], root);
    assert.equal(applied.code, 1);
    assert.match(applied.stderr, /nothing was moved/);
    assert.ok(existsSync(path.join(root, patchFile)));
    assert.doesNotMatch(readFileSync(path.join(root, 'bug-author.config.mjs'), 'utf8'), /output/);
  });
});

describe('config: patchOnly, enginePickWarning, bugFolders', () => {
  test('valid entries resolve; bad ones name the field', () => {
    const config = resolveConfig({ patchOnly: ['./a/bugs/x.patch', { patch: 'b/**/*.patch', reason: ' inserts a statement ' }], enginePickWarning: false, bugFolders: ['bugs', 'src-bugs'] }, '/p');
    assert.deepEqual(config.patchOnly, [{ pattern: 'a/bugs/x.patch' }, { pattern: 'b/**/*.patch', reason: 'inserts a statement' }]);
    assert.equal(config.enginePickWarning, false);
    assert.deepEqual(resolveConfig({}, '/p').bugFolders, ['bugs', 'bug-sources']);
    for (const [raw, message] of [
      [{ patchOnly: [1] }, /patchOnly\[0\]/],
      [{ patchOnly: [{ reason: 'x' }] }, /patchOnly\[0\]' needs a patch path/],
      [{ patchOnly: [{ patch: 'a', why: 'x' }] }, /unknown option 'patchOnly\[0\]\.why'/],
      [{ patchOnly: ['/abs/x.patch'] }, /relative to the project root/],
      [{ enginePickWarning: 'no' }, /'enginePickWarning' must be true or false/],
    ] as const) {
      assert.throws(
        () => resolveConfig(raw, '/p', '/p/bug-author.config.mjs'),
        (err: unknown) => err instanceof ConfigError && message.test(err.reason),
      );
    }
  });
});
