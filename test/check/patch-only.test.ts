import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { copyTree, runInProcess, sharedCorpus } from '../support/cli-run.js';

const INEXPRESSIBLE = [
  'curricula/cs336_a1/modules/cross_entropy/bugs/no_logsumexp.patch',
  'curricula/cs336_a1/modules/gradient_clipping/bugs/per_parameter_clipping.patch',
  'curricula/cs336_a1/modules/text_generation/bugs/temperature_after_softmax.patch',
  'curricula/cs336_a1/modules/tokenizer_class/bugs/wrong_merge_order.patch',
];

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

interface Report {
  findings: { kind: string; severity: string; bug?: string; message: string; fix: string }[];
}

async function checkJson(root: string): Promise<{ code: number; report: Report }> {
  const result = await runInProcess(['check', '--format', 'json'], root);
  assert.notEqual(result.code, 2, result.stderr);
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

describe('patch-only bugs on the shared corpus', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, () => {
  test('built and committed with the 4 inexpressible bugs in patchOnly: check exits 0; a reference edit that breaks one patch: exit 1 naming it', async () => {
    const root = copyTree(sharedCorpus);
    git(root, 'init', '-q');
    // A plain-object .mjs config works like the .ts one; one entry is a glob, one has a reason.
    writeFileSync(
      path.join(root, 'bug-author.config.mjs'),
      `export default {\n  patchOnly: [\n    { patch: '${INEXPRESSIBLE[0]}', reason: 'inserts statements' },\n    '${INEXPRESSIBLE[1]}',\n    'curricula/*/modules/text_generation/bugs/*.patch',\n    '${INEXPRESSIBLE[3]}',\n  ],\n};\n`,
    );
    const build = await runInProcess(['build', '--no-llm'], root);
    assert.equal(build.code, 0, build.stdout);
    assert.match(build.stdout, /Successful: +21 +\(14 generated exact, 3 hand-written kept, 4 patch-only\)/);
    assert.match(build.stdout, /Patch-only, accepted in patchOnly .*\(4\):\n  - cross_entropy\/no_logsumexp: inserts statements\n  - gradient_clipping\/per_parameter_clipping\n/);
    assert.match(build.stdout, /✔ text_generation\/temperature_after_softmax +patch +applies/);
    for (const patch of INEXPRESSIBLE) assert.ok(!existsSync(path.join(root, patch.replace(/\.patch$/, '.json'))), `${patch} was compiled`);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'built');

    const clean = await checkJson(root);
    assert.equal(clean.code, 0, JSON.stringify(clean.report.findings, null, 2));
    assert.deepEqual(clean.report.findings.filter((f) => f.severity === 'error'), []);
    // The 17 compiled bugs keep their patch beside the JSON: one warning for the whole run.
    const pick = clean.report.findings.filter((f) => f.kind === 'engine-pick' && f.bug === undefined);
    assert.equal(pick.length, 1);
    // The two bugs with no <bug>_symptom.txt: the engine would refuse to serve them (warnings; the check passes).
    const symptomless = clean.report.findings.filter((f) => f.kind === 'engine-pick' && f.bug !== undefined);
    assert.deepEqual(symptomless.map((f) => [f.severity, f.bug]), [['warning', 'multihead_attention/missing_transpose_back'], ['warning', 'transformer_lm/missing_final_norm']]);
    assert.match(pick[0]!.message, /^17 bugs have their \.patch beside their \.json/);
    assert.match(pick[0]!.fix, /bug-author relocate-sources/);

    const reference = path.join(root, 'modes/developer/cs336_basics/generation.py');
    writeFileSync(reference, readFileSync(reference, 'utf8').replace('# Apply temperature to logits BEFORE softmax', '# Scale the logits by the temperature first'));
    const broken = await runInProcess(['check'], root);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /✖ patch-only  text_generation\/temperature_after_softmax\n  curricula\/cs336_a1\/modules\/text_generation\/bugs\/temperature_after_softmax\.patch:3: hunk 1 of 1 .* does not apply to modes\/developer\/cs336_basics\/generation\.py the way the engine applies patches/);
    assert.deepEqual(broken.stdout.match(/^✖ [a-z-]+ {2}\S+/gm), ['✖ patch-only  text_generation/temperature_after_softmax'], 'only that bug fails');
  });
});

describe('patch-only bugs: what check guards', () => {
  function project(): string {
    const root = copyTree(sharedCorpus);
    writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { patchOnly: ['${INEXPRESSIBLE[2]}'], enginePickWarning: false };\n`);
    return root;
  }
  const bugsDir = 'curricula/cs336_a1/modules/text_generation/bugs';

  test('a JSON beside a patch-only bug is an error (the engine would pick either)', async () => {
    const root = project();
    writeFileSync(path.join(root, bugsDir, 'temperature_after_softmax.json'), '{}\n');
    const { code, report } = await checkJson(root);
    assert.equal(code, 1);
    const finding = report.findings.find((f) => f.bug === 'text_generation/temperature_after_softmax');
    assert.equal(finding?.kind, 'patch-only');
    assert.match(finding!.message, /is patch-only, yet .*temperature_after_softmax\.json exists: the engine picks one of the two at random/);
  });

  test('a missing <bug>_symptom.txt is an error: the engine stops without it', async () => {
    const root = project();
    execFileSync('rm', [path.join(root, bugsDir, 'temperature_after_softmax_symptom.txt')]);
    const { report } = await checkJson(root);
    assert.ok(report.findings.some((f) => f.kind === 'patch-only' && /temperature_after_softmax_symptom\.txt does not exist/.test(f.message)));
  });

  test('a patchOnly entry that matches no patch is a warning', async () => {
    const root = project();
    writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { patchOnly: ['curricula/*/modules/nope/bugs/*.patch'], enginePickWarning: false };\n`);
    const { report } = await checkJson(root);
    const finding = report.findings.find((f) => f.kind === 'config');
    assert.match(finding?.message ?? '', /patchOnly entry 'curricula\/\*\/modules\/nope\/bugs\/\*\.patch' matches no patch/);
  });

  test('without patchOnly, the build hint suggests accepting the inexpressible bugs there', async () => {
    const root = copyTree(sharedCorpus);
    const build = await runInProcess(['build', '--no-llm', path.join(root, INEXPRESSIBLE[3]!), path.join(root, INEXPRESSIBLE[0]!)], root);
    assert.equal(build.code, 1);
    assert.match(build.stdout, /hint: v2\.1 cannot express these; to serve them through the engine's patch path instead, accept them in the config:\n +patchOnly: \['curricula\/cs336_a1\/modules\/cross_entropy\/bugs\/no_logsumexp\.patch', 'curricula\/cs336_a1\/modules\/tokenizer_class\/bugs\/wrong_merge_order\.patch'\],/);
  });

  test('a reference that is a symbolic link leading outside the project is refused like a ../ path', async () => {
    const root = project();
    const outside = copyTree(path.join(sharedCorpus, 'modes/developer/cs336_basics'), 'bug-author-outside-');
    const reference = path.join(root, 'modes/developer/cs336_basics/generation.py');
    execFileSync('rm', [reference]);
    symlinkSync(path.join(outside, 'generation.py'), reference);
    const { code, report } = await checkJson(root);
    assert.equal(code, 1);
    const finding = report.findings.find((f) => f.bug === 'text_generation/temperature_after_softmax');
    assert.match(finding?.message ?? '', /modes\/developer\/cs336_basics\/generation\.py is a symbolic link to .*outside the project root/);
  });
});
