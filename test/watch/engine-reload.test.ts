import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { interpreterFor, type PythonChoice } from '../../src/python/python-choice.js';
import { createPythonRuntime } from '../../src/python/runtime.js';
import { runInProcess } from '../support/cli-run.js';
import { writeFakeEngine } from '../verify/support/fake-engine.js';
import { disposableProjects } from './support/watch-fixture.js';
import { startLoggedWatcher } from './support/watch-log.js';

const cpython: PythonChoice = { setting: 'auto', from: 'default', baseDir: packageRoot };
const python3 = interpreterFor(cpython);
const skip = !(python3 && 'executable' in python3) && 'no python3 on PATH';

const project = disposableProjects();
const KEEP_LEFT = 'curricula/c1/modules/mul/bugs/keep_left';

test('an edit of the curriculum’s engine during watch: a new judge, and the bugs are judged by it', { skip }, async () => {
  const p = project();
  p.write('modes/developer/pkg/mul.py', 'def mul(a, b):\n    c = a * b\n    return c\n');
  p.write(`${KEEP_LEFT}.patch`, '--- a/pkg/mul.py\n+++ b/pkg/mul.py\n@@ -1,3 +1,3 @@\n def mul(a, b):\n-    c = a * b\n+    c = a\n     return c\n');
  p.write(`${KEEP_LEFT}_symptom.txt`, 'mul ignores b.\n');
  writeFakeEngine(p.root);
  assert.equal((await runInProcess(['build', '--no-llm'], p.root, { BUG_AUTHOR_PYTHON: 'auto' })).code, 0);
  // Hand-written from now on: a hand-written JSON is verified (and judged) whenever its bug is looked at.
  p.write(`${KEEP_LEFT}.json`, p.read(`${KEEP_LEFT}.json`).replace(/"metadata": \{[\s\S]*\}\n\}/, '"metadata": {"manual": true}\n}'));

  const python = createPythonRuntime(cpython);
  const { watcher, log } = await startLoggedWatcher(p.root, { python });
  try {
    const initial = log.outcomes().find((o) => o.outcome.bug.id === 'mul/keep_left');
    assert.equal(initial?.outcome.status, 'manual', log.describe());
    assert.equal(initial?.outcome.verdict, 'exact');

    const since = log.mark();
    writeFakeEngine(p.root, { drift: true });
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'engine-reloaded'));
    assert.match(reloaded.kind === 'engine-reloaded' ? reloaded.engine : '', /^engine\/ast_harden\/generic_injector\.py \(found under the project root, fingerprint [0-9a-f]{16}\)/);
    const judged = await log.waitFor(since, (outcomes) => outcomes.find((o) => o.outcome.bug.id === 'mul/keep_left'));
    assert.equal(judged.outcome.status, 'failed', log.describe(since));
    assert.match(judged.outcome.reason ?? '', /the engine's injector \(engine\/ast_harden\/generic_injector\.py\) and bug-author's built-in one disagree/);
  } finally {
    await watcher.close();
    await python.close();
  }
});
