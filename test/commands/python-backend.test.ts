import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { interpreterFor } from '../../src/python/python-choice.js';
import { processExists, waitUntil } from '../support/processes.js';
import { runChild, runInProcess } from '../support/cli-run.js';
import { writeFakeEngine } from '../verify/support/fake-engine.js';
import { BUGS, deletionPatch, disposableProjects, OTHER_PY } from '../watch/support/watch-fixture.js';

const python3 = interpreterFor({ setting: 'auto', from: 'default', baseDir: packageRoot });
const skip = !(python3 && 'executable' in python3) && 'no python3 on PATH';
/** These tests are about CPython and its worker: they ask for it whatever BUG_AUTHOR_PYTHON the suite runs with. */
const CPYTHON = { BUG_AUTHOR_PYTHON: 'auto' };

const project = disposableProjects();
const dropLen = BUGS.find((b) => b.name === 'drop_len')!;

test('build --verbose says which Python served and what the engine judge did; the summary and the trace say which Python', { skip }, async () => {
  const p = project();
  writeFakeEngine(p.root);
  const run = await runInProcess(['build', '--no-llm', '--verbose'], p.root, CPYTHON);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /Time taken: .*\(Python: CPython 3\.\d+\.\d+\)/);
  assert.match(run.stderr, /^python: CPython 3\.\d+\.\d+ \(\/.*python[\d.]*, worker pid \d+; BUG_AUTHOR_PYTHON=auto\)$/m);
  assert.match(run.stderr, /^engine judge: engine\/ast_harden\/generic_injector\.py \(found under the project root, fingerprint [0-9a-f]{16}\): \d+ agreed, 0 disagreed$/m);
  assert.doesNotMatch(run.stderr, /: 0 agreed/);

  p.write(p.patchPath(dropLen), deletionPatch('other', OTHER_PY, 's = sum(v)'));
  const child = await runChild(['build', '--no-llm'], p.root, CPYTHON);
  assert.equal(child.code, 0, child.stderr);
  assert.match(child.stderr, /bug-author-trace \{"pythonLoaded":true,"python":"CPython 3\.\d+\.\d+","maxRssMb":\d+,"workerMaxRssMb":\d+,"cpuMs":\d+\}/);
});

test('with pyodide asked for, nothing changes but the back-end, and --verbose says why there is no engine judge', async () => {
  const p = project();
  writeFakeEngine(p.root);
  const run = await runInProcess(['build', '--no-llm', '--verbose'], p.root, { BUG_AUTHOR_PYTHON: 'pyodide' });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /Time taken: .*\(Python: pyodide \d+\.\d+\.\d+ \(Python 3\.\d+\.\d+\)\)/);
  assert.match(run.stderr, /^python: pyodide .*\(in-process; BUG_AUTHOR_PYTHON=pyodide\)$/m);
  assert.match(run.stderr, /^engine judge: none \(engine\/ast_harden\/generic_injector\.py needs CPython, and BUG_AUTHOR_PYTHON=pyodide asks for pyodide\)$/m);
});

test('check judges again when the engine changes: an engine that cannot load fails every JSON; verify.engine off turns it off', { skip }, async () => {
  const p = project();
  writeFakeEngine(p.root);
  assert.equal((await runInProcess(['build', '--no-llm'], p.root, CPYTHON)).code, 0);
  const clean = await runInProcess(['check'], p.root, CPYTHON);
  assert.equal(clean.code, 0, clean.stdout);
  assert.match(clean.stdout, /Python not loaded/, 'verdicts judged by this engine are cached');

  // The engine changes (here it no longer imports): a new fingerprint, so every cached verdict is judged again.
  writeFakeEngine(p.root, { broken: true });
  const broken = await runInProcess(['check', '--verbose'], p.root, CPYTHON);
  assert.equal(broken.code, 1, broken.stdout);
  assert.match(broken.stdout, /drop_add\.json fails on modes\/developer\/pkg\/ops\.py: the engine's injector \(engine\/ast_harden\/generic_injector\.py\) could not be loaded: SyntaxError/);
  assert.match(broken.stdout, /CPython 3\.\d+\.\d+/);
  assert.match(broken.stderr, /^engine judge: .*: 0 agreed, 0 disagreed, 4 could not run$/m);

  p.write('bug-author.config.mjs', "export default { verify: { engine: 'off' } };\n");
  const off = await runInProcess(['check', '--verbose'], p.root, CPYTHON);
  assert.equal(off.code, 0, off.stdout);
  assert.match(off.stderr, /^engine judge: none \(verify\.engine: 'off'\)$/m);
});

test('a disagreement found by build names both outputs', { skip }, async () => {
  const p = project();
  // A bug whose definition is replace_with node.left: the drifted engine takes node.right.
  p.write('modes/developer/pkg/mul.py', 'def mul(a, b):\n    c = a * b\n    return c\n');
  p.write('curricula/c1/modules/mul/bugs/keep_left.patch', '--- a/pkg/mul.py\n+++ b/pkg/mul.py\n@@ -1,3 +1,3 @@\n def mul(a, b):\n-    c = a * b\n+    c = a\n     return c\n');
  p.write('curricula/c1/modules/mul/bugs/keep_left_symptom.txt', 'mul ignores b.\n');
  writeFakeEngine(p.root, { drift: true });
  const run = await runInProcess(['build', '--no-llm', 'curricula/c1/modules/mul/bugs/keep_left.patch'], p.root, CPYTHON);
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stdout, /✖ mul\/keep_left/);
  assert.match(run.stdout, /disagree: built-in injected 3 lines \(ok=True\); engine injected 3 lines \(ok=True\); first difference at line 2: built-in `c = a`, engine `c = b`/);
});

test('Python dying on one bug (twice: restarted once) fails that bug with a clear error; the others build, and check reports it too', { skip }, async () => {
  const p = project();
  writeFakeEngine(p.root);
  // The fake engine kills the Python process it runs in when it sees this marker.
  const other = `${OTHER_PY}# CRASH THE ENGINE\n`;
  p.write('modes/developer/pkg/other.py', other);
  p.write(p.patchPath(dropLen), deletionPatch('other', other, 'n = len(v)'));
  const run = await runInProcess(['build', '--no-llm'], p.root, CPYTHON);
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stdout, /✖ norm\/drop_len .*\n\s+Python failed: the Python worker \(.*, pid \d+\) was killed by SIGKILL while running engine_inject, for the second time \(it was restarted once\): this bug cannot be processed/);
  for (const bug of BUGS.filter((b) => b !== dropLen)) assert.match(run.stdout, new RegExp(`✔ ${bug.module}/${bug.name} +synth +exact`));
  assert.match(run.stdout, /Successful: +3 /);

  // A hand-written JSON for the bug: check must say it could not be verified, and go on.
  p.write(p.jsonPath(dropLen), p.read(p.jsonPath(BUGS[0]!)).replace(/"metadata": \{[\s\S]*\}\n\}/, '"metadata": {"manual": true}\n}'));
  const check = await runInProcess(['check'], p.root, CPYTHON);
  assert.equal(check.code, 1, check.stdout);
  assert.match(check.stdout, /drop_len\.json could not be verified: the Python worker .* was killed by SIGKILL/);
  assert.match(check.stdout, /BUG_AUTHOR_PYTHON=pyodide bug-author check/);
});

test('Ctrl-C and SIGTERM stop watch and leave no worker behind', { skip }, async () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const p = project();
    // Like a terminal: the CLI and its worker in one process group, Ctrl-C sent to the group.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'watch', '--no-llm', '--verbose'], {
      cwd: p.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...CPYTHON },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitUntil(() => /worker pid \d+/.test(output) && /watching \d+ bugs/.test(output), 30000, `watch to start Python:\n${output}`);
    const worker = Number(/worker pid (\d+)/.exec(output)![1]);
    assert.ok(processExists(worker));
    if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
    else child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.match(output, /bug-author watch: stopped/);
    await waitUntil(() => !processExists(worker), 5000, `worker ${worker} to be gone after ${signal}`);
  }
});
