import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { runChild } from '../support/cli-run.js';
import { ALWAYS_LIMIT, NO_DIVIDE, NO_FACTOR, curriculumRepo } from '../support/git-fixture.js';

describe('bug-author check (command line)', () => {
  test('exit codes: 0 when all is well, 1 on an error finding, 0 on warnings alone, 2 on usage and config errors', async () => {
    const repo = await curriculumRepo();
    assert.equal((await repo.cli(['check'])).code, 0);
    // A generated JSON whose patch is gone (a JSON that is no definition would be an error: the engine picks it).
    await repo.write('curricula/c1/modules/ops/bugs/leftover.json', await repo.read(NO_DIVIDE.json));
    assert.equal((await repo.cli(['check'])).code, 0, 'an orphan is a warning');
    await repo.remove(NO_FACTOR.json);
    assert.equal((await repo.cli(['check'])).code, 1);

    const badFormat = await repo.cli(['check', '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of text, github, json/);
    assert.equal((await repo.cli(['check', '--no-such-option'])).code, 2);
    assert.equal((await repo.cli(['check', 'extra-argument'])).code, 2);
    const help = await repo.cli(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--staged/);

    await repo.write('bug-author.config.mjs', 'export default { concurrency: 0 };\n');
    const config = await repo.cli(['check']);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /configuration error .*concurrency/);
  });

  test('--format github: annotations that parse back to the findings, file paths relative to the workspace', async () => {
    const repo = await curriculumRepo();
    await repo.write('curricula/c1/modules/ops/bugs/leftover.json', await repo.read(NO_DIVIDE.json));
    await repo.write(NO_DIVIDE.symptom, 'changed\n');
    const result = await repo.cli(['check', '--format', 'github'], { GITHUB_WORKSPACE: repo.root });
    assert.equal(result.code, 1);
    const annotations = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('::'))
      .map((l) => /^::(error|warning) file=([^,]*)(?:,line=(\d+))?,title=([^:]*)::(.*)$/.exec(l)!);
    assert.deepEqual(
      annotations.map((m) => [m[1], m[2]]),
      [
        ['error', NO_DIVIDE.json],
        ['warning', 'curricula/c1/modules/ops/bugs/leftover.json'],
      ],
    );
    assert.match(annotations[0]![5]!, /is stale.*%0AFix: bug-author build curricula\/c1\/modules\/ops\/bugs\/no_divide\.patch$/);
  });

  test('a missing JSON that the last build could not make: the fix is authoring, not rebuilding', async () => {
    const repo = await curriculumRepo();
    // Inserting a statement is outside v2.1: synthesis says why, and check repeats it.
    await repo.write(
      'curricula/c1/modules/ops/bugs/inserted.patch',
      '--- a/tiny/ops.py\n+++ b/tiny/ops.py\n@@ -5,3 +5,4 @@\n def mean(values):\n+    values = values[1:]\n     total = sum(values)\n     return total / len(values)\n',
    );
    await repo.cli(['build', '--no-llm']);
    const result = await repo.cli(['check']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /inserted\.patch has no JSON: the last build could not make one \(synth: inserts `values = values\[1:\]`/);
    assert.match(result.stdout, /fix: write curricula\/c1\/modules\/ops\/bugs\/inserted\.json by hand, or set OPENAI_API_KEY and run: bug-author build/);
  });

  test('a check where nothing changed does not load pyodide (a real child process, trace line)', async () => {
    const repo = await curriculumRepo();
    await repo.cli(['check']); // the first check verifies and caches the verdicts
    const child = await runChild(['check', '--format', 'json'], repo.root);
    assert.equal(child.code, 0, child.stderr);
    assert.equal(child.pythonLoaded, false);
    assert.equal((JSON.parse(child.stdout) as { pythonLoaded: boolean }).pythonLoaded, false);

    // Only the bug whose inputs changed is re-verified: a hand-written JSON edit needs Python, once.
    await repo.writeJson(ALWAYS_LIMIT.json, { ...(JSON.parse(await repo.read(ALWAYS_LIMIT.json)) as object), description: 'reworded' });
    assert.equal((await runChild(['check'], repo.root)).pythonLoaded, true);
    assert.equal((await runChild(['check'], repo.root)).pythonLoaded, false);
  });

  test('JSON written by the real `build --no-llm` passes check', { skip: !existsSync(path.join(packageRoot, 'plugins', 'synth', 'index.ts')) && 'synth plugin not present' }, async () => {
    const repo = await curriculumRepo();
    await repo.remove(NO_FACTOR.json);
    await repo.remove(NO_DIVIDE.json);
    const build = await repo.cli(['build', '--no-llm']);
    assert.equal(build.code, 0, build.stdout);
    const report = await repo.checkJson();
    assert.deepEqual(report.findings, []);
    assert.equal(report.code, 0);
  });
});
