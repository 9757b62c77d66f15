// acceptPatchOnly: a bug v2.1 cannot express, accepted as patch-only in the project's config
// (created, edited, or refused with the line to add), on a small curriculum in a git repository.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { acceptPatchOnly, check, listBugs } from '../../src/index.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { curriculumRepo, NO_DIVIDE } from '../support/git-fixture.js';

const env = pythonChoiceEnv();
const INSERTED = 'curricula/c1/modules/ops/bugs/inserted.patch';
// Inserting a statement is outside v2.1: synthesis says why.
const INSERTING = '--- a/tiny/ops.py\n+++ b/tiny/ops.py\n@@ -5,3 +5,4 @@\n def mean(values):\n+    values = values[1:]\n     total = sum(values)\n     return total / len(values)\n';

async function projectWithInexpressibleBug() {
  const repo = await curriculumRepo();
  await repo.write(INSERTED, INSERTING);
  await repo.write('curricula/c1/modules/ops/bugs/inserted_symptom.txt', 'The mean skips the first value.\n');
  await repo.cli(['build', '--no-llm']);
  return repo;
}

test('after a build that says v2.1 cannot express a bug, check says so and accepting it writes a config with the build reason', async () => {
  const repo = await projectWithInexpressibleBug();
  await repo.remove('bug-author.config.mjs');
  const before = await check({ cwd: repo.root, env, ci: false });
  const missing = before.findings.find((f) => f.kind === 'missing');
  assert.match(missing?.inexpressible?.reason ?? '', /^synth: inserts `values = values\[1:\]`/);
  assert.match(missing!.fix, /accept it as patch-only/);

  const result = await acceptPatchOnly({ cwd: repo.root, env, bug: 'ops/inserted' });
  assert.ok(result.accepted, JSON.stringify(result));
  assert.equal(result.created, true);
  assert.equal(result.configFile, repo.abs('bug-author.config.mjs'));
  const config = await repo.read('bug-author.config.mjs');
  assert.match(config, /patchOnly: \[\n {4}\{ patch: 'curricula\/c1\/modules\/ops\/bugs\/inserted\.patch', reason: 'inserts `values = values\[1:\]`[^']*v2\.1[^']*' \},\n/, config);
  const bug = (await listBugs({ cwd: repo.root, env })).find((b) => b.id === 'ops/inserted');
  assert.match(bug?.patchOnly?.reason ?? '', /^inserts `values/);
  const after = await check({ cwd: repo.root, env, ci: false });
  assert.equal(after.exitCode, 0, JSON.stringify(after.findings));

  const again = await acceptPatchOnly({ cwd: repo.root, env, bug: 'ops/inserted' });
  assert.equal(again.accepted, false);
  assert.match(again.accepted ? '' : again.reason, /patch-only already/);
});

test('an existing config gets the entry added, with the reviewer reason; other settings stay', async () => {
  const repo = await projectWithInexpressibleBug();
  await repo.write('bug-author.config.mjs', "export default {\n  patchOnly: [\n    'curricula/none/*.patch',\n  ],\n  enginePickWarning: false,\n};\n");
  const result = await acceptPatchOnly({ cwd: repo.root, env, bug: INSERTED, reason: 'inserts a statement' });
  assert.ok(result.accepted, JSON.stringify(result));
  assert.equal(result.created, false);
  assert.equal(
    await repo.read('bug-author.config.mjs'),
    "export default {\n  patchOnly: [\n    { patch: 'curricula/c1/modules/ops/bugs/inserted.patch', reason: 'inserts a statement' },\n    'curricula/none/*.patch',\n  ],\n  enginePickWarning: false,\n};\n",
  );
});

test('a config that computes patchOnly is left alone: the refusal gives the exact line to add', async () => {
  const repo = await projectWithInexpressibleBug();
  const computed = "const list = [];\nexport default { patchOnly: list };\n";
  await repo.write('bug-author.config.mjs', computed);
  const result = await acceptPatchOnly({ cwd: repo.root, env, bug: 'ops/inserted', reason: 'inserts a statement' });
  assert.equal(result.accepted, false);
  assert.ok(!result.accepted);
  assert.equal(result.line, "{ patch: 'curricula/c1/modules/ops/bugs/inserted.patch', reason: 'inserts a statement' },");
  assert.match(result.reason, /bug-author\.config\.mjs cannot be edited safely \(its patchOnly is not a plain \[ … \] list.*add this line to it by hand: \{ patch: 'curricula/);
  assert.equal(await repo.read('bug-author.config.mjs'), computed);
});

test('an edit that does not make the bug patch-only once loaded is put back', async () => {
  const repo = await projectWithInexpressibleBug();
  // A plain list the text shows, filtered away when the config runs.
  const filtered = "export default { patchOnly: [].filter((p) => typeof p === 'string') };\n";
  await repo.write('bug-author.config.mjs', filtered);
  const result = await acceptPatchOnly({ cwd: repo.root, env, bug: 'ops/inserted' });
  assert.equal(result.accepted, false);
  assert.match(result.accepted ? '' : result.reason, /was put back as it was: edited, it did not make the bug patch-only/);
  assert.equal(await repo.read('bug-author.config.mjs'), filtered);
});

test('a bug with a JSON is not made patch-only (the engine would pick either), and no config is written', async () => {
  const repo = await projectWithInexpressibleBug();
  await repo.remove('bug-author.config.mjs');
  const result = await acceptPatchOnly({ cwd: repo.root, env, bug: NO_DIVIDE.id });
  assert.equal(result.accepted, false);
  assert.match(result.accepted ? '' : result.reason, /no_divide\.json exists/);
  assert.equal(existsSync(repo.abs('bug-author.config.mjs')), false);
});
