import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { unservedInterpreters } from '../../src/verify/unserved-interpreters.js';
import { createContentCache } from '../../src/cache/content-cache.js';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { injectExplained } from '../../src/injector/inject.js';
import { packageRoot } from '../../src/package-root.js';
import { interpreterFor, type PythonChoice } from '../../src/python/python-choice.js';
import { parsePython } from '../../src/python/python-ast.js';
import { createPythonRuntimes } from '../../src/python/runtime.js';
import { verifyWithCache } from '../../src/verify/cached-verdict.js';
import { createEngineJudge, setUpEngineJudge, type EngineJudge } from '../../src/verify/engine-judge.js';
import { locateEngine, type EngineLocation } from '../../src/verify/engine-location.js';
import { verifyDefinition } from '../../src/verify/verify-definition.js';
import { writeFakeEngine, type FakeEngineOptions } from './support/fake-engine.js';

const cpythonChoice: PythonChoice = { setting: 'auto', from: 'default', baseDir: packageRoot };
const python3 = interpreterFor(cpythonChoice);
const skip = !(python3 && 'executable' in python3) && 'no python3 on PATH';

const runtimes = createPythonRuntimes();
after(() => runtimes.close());
const python = runtimes.runtimeFor(cpythonChoice);

const reference = `def f(a, b):
    c = a * b
    return c
`;
const patched = reference.replace('c = a * b', 'c = a  # BUG: no scaling');

const keepLeft = {
  id: 'f-keep-left',
  description: 'Replace a * b by a',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'f',
  logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'BinOp', op: 'Mult' }, replacement: { type: 'replace_with', source: 'node.left' } }],
};

async function engineAt(options: FakeEngineOptions = {}): Promise<{ root: string; location: EngineLocation; judge: EngineJudge }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-judge-'));
  writeFakeEngine(root, options);
  const location = await locateEngine(resolveConfig({}, root));
  if ('none' in location) throw new Error(location.none);
  return { root, location, judge: createEngineJudge(location) };
}

test('an engine that agrees: the verification is exact and says which engine judged it', { skip }, async () => {
  const { judge, location } = await engineAt();
  const v = await verifyDefinition(keepLeft, { reference, patched, judge: judge }, python);
  assert.equal(v.verdict, 'exact', v.reason);
  assert.equal(v.judgedBy, location.id);
  assert.deepEqual(judge.counts, { agree: 1, skipped: 0, off: 0, disagree: 0, 'engine-error': 0 });
});

test('the judgement itself: agreement carries the engine result, also when both inject nothing', { skip }, async () => {
  const { judge } = await engineAt();
  const ours = await injectExplained(keepLeft, reference, { python });
  const agreed = await judge.judge(keepLeft, reference, ours, python);
  assert.equal(agreed.verdict, 'agree');
  assert.deepEqual(agreed.verdict === 'agree' && agreed.engine, { ok: true, output: 'def f(a, b):\n    c = a\n    return c' });
  const elsewhere = 'def g(a, b):\n    return a * b\n';
  const none = await judge.judge(keepLeft, elsewhere, await injectExplained(keepLeft, elsewhere, { python }), python);
  assert.equal(none.verdict, 'agree', 'target function missing: both return the source with ok=False');
});

test('both injectors raising the same exception class agree', { skip }, async () => {
  const { judge } = await engineAt();
  const { injection_type: _dropped, ...invalid } = keepLeft;
  const ours = await injectExplained(invalid, reference, { python });
  assert.match(ours.error ?? '', /^ValueError/);
  const judged = await judge.judge(invalid, reference, ours, python);
  assert.equal(judged.verdict, 'agree');
});

test('an engine that changed: verification fails naming both outputs, with the diff between them', { skip }, async () => {
  const { judge, location } = await engineAt({ drift: true });
  const v = await verifyDefinition(keepLeft, { reference, patched, judge: judge }, python);
  assert.equal(v.verdict, 'error');
  assert.equal(v.judgedBy, location.id);
  assert.match(v.reason ?? '', /the engine's injector \(engine\/ast_harden\/generic_injector\.py\) and bug-author's built-in one disagree/);
  assert.match(v.reason ?? '', /built-in injected 3 lines \(ok=True\); engine injected 3 lines \(ok=True\); first difference at line 2: built-in `c = a`, engine `c = b`/);
  assert.match(v.reason ?? '', /bug-author's injector must follow it \(verify\.engine: 'off' turns this check off\)/);
  assert.match(v.diff ?? '', /^--- built-in injector/m);
  assert.match(v.diff ?? '', /^-    c = a$/m);
  assert.match(v.diff ?? '', /^\+    c = b$/m);
  assert.equal(judge.counts.disagree, 1);
});

test('an engine that cannot be imported fails every verification, saying why and how to turn it off', { skip }, async () => {
  const { judge } = await engineAt({ broken: true });
  const v = await verifyDefinition(keepLeft, { reference, patched, judge: judge }, python);
  assert.equal(v.verdict, 'error');
  assert.match(v.reason ?? '', /the engine's injector \(engine\/ast_harden\/generic_injector\.py\) could not be loaded: SyntaxError: .*set verify\.engine: 'off'/);
});

test('two engines in one worker: each is imported from its own directory', { skip }, async () => {
  const faithful = await engineAt();
  const drifted = await engineAt({ drift: true });
  for (let i = 0; i < 2; i++) {
    assert.equal((await verifyDefinition(keepLeft, { reference, patched, judge: faithful.judge }, python)).verdict, 'exact');
    assert.equal((await verifyDefinition(keepLeft, { reference, patched, judge: drifted.judge }, python)).verdict, 'error');
  }
});

test('cached verdicts count only when this engine judged them: an unjudged or differently judged verdict is verified again', { skip }, async () => {
  const { root, judge } = await engineAt();
  const cache = createContentCache(path.join(root, '.cache'));
  const target = { reference, patched };
  const unjudged = await verifyWithCache(keepLeft, target, python, cache);
  assert.equal(unjudged.cached, false);
  assert.equal(unjudged.judgedBy, undefined);
  const judged = await verifyWithCache(keepLeft, { ...target, judge: judge }, python, cache);
  assert.equal(judged.cached, false, 'not judged by this engine yet');
  assert.equal(judged.judgedBy, judge.location.id);
  const hit = await verifyWithCache(keepLeft, { ...target, judge: judge }, python, cache);
  assert.equal(hit.cached, true);
  assert.equal(judge.counts.agree, 1);

  // The engine changes (here: it drifts): its new fingerprint makes every cached verdict stale.
  writeFakeEngine(root, { drift: true });
  const location = await locateEngine(resolveConfig({}, root));
  assert.ok(!('none' in location));
  const changed = await verifyWithCache(keepLeft, { ...target, judge: createEngineJudge(location) }, python, cache);
  assert.equal(changed.cached, false);
  assert.equal(changed.verdict, 'error');
  assert.match(changed.reason ?? '', /disagree/);
});

test('no judge when Python is known not to be CPython; a judge whose runtime fell back to pyodide skips', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-judge-'));
  writeFakeEngine(root);
  const config = resolveConfig({}, root);
  const pyodide = runtimes.runtimeFor({ setting: 'pyodide', from: 'BUG_AUTHOR_PYTHON', baseDir: root });
  assert.deepEqual(await setUpEngineJudge(config, pyodide), {
    none: 'engine/ast_harden/generic_injector.py needs CPython, and BUG_AUTHOR_PYTHON=pyodide asks for pyodide',
  });
  const missing = runtimes.runtimeFor({ setting: 'no-such-python3', from: 'config', baseDir: root });
  assert.deepEqual(await setUpEngineJudge(config, missing), { none: 'engine/ast_harden/generic_injector.py needs CPython: no no-such-python3 on PATH' });

  const location = await locateEngine(config);
  assert.ok(!('none' in location));
  const judge = createEngineJudge(location);
  const v = await verifyDefinition(keepLeft, { reference, patched, judge: judge }, pyodide);
  assert.equal(v.verdict, 'exact');
  assert.equal(v.judgedBy, undefined, 'nothing judged it');
  assert.equal(judge.counts.skipped, 1);
});

test('an engine that never returns is stopped once and switched off: definitions are judged by the built-in injector (not cross-checked), never failed, and nothing waits again', { skip }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-judge-'));
  writeFakeEngine(root, { hang: true });
  const location = await locateEngine(resolveConfig({}, root));
  assert.ok(!('none' in location));
  const judge = createEngineJudge(location, { timeoutSeconds: 0.5 });
  await parsePython(python, 'x = 1\n');
  const pid = python.backend!.pid;
  const started = performance.now();
  const v = await verifyDefinition(keepLeft, { reference, patched, judge }, python);
  assert.ok(performance.now() - started < 4000, 'stopped by its own timeout, not by killing the worker');
  assert.equal(v.verdict, 'exact');
  assert.equal(v.judgedBy, undefined);
  assert.match(v.notCrossChecked ?? '', /the engine's injector \(engine\/ast_harden\/generic_injector\.py\) was stopped after 0\.5 s injecting a definition \(does it loop\?\), so the engine judge was switched off for the rest of this run/);
  assert.equal(judge.switchedOff(), v.notCrossChecked);
  const again = performance.now();
  for (let i = 0; i < 3; i++) assert.equal((await verifyDefinition(keepLeft, { reference, patched, judge }, python)).verdict, 'exact');
  assert.ok(performance.now() - again < 400, 'the judge is off: nothing waits on the engine again');
  assert.equal(judge.counts.off, 4);
  assert.equal(python.backend!.pid, pid, 'the worker was not killed');
});

test('an interpreter that cannot serve is learnt once: the next setup has no judge, so verdicts cached meanwhile count, until it changes', { skip: process.platform === 'win32' && 'a shell script as interpreter' }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-judge-'));
  writeFakeEngine(root);
  const config = resolveConfig({}, root);
  const cache = createContentCache(path.join(root, '.cache'));
  const stub = path.join(root, 'broken-python');
  writeFileSync(stub, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
  const choice: PythonChoice = { setting: stub, from: 'config', baseDir: root };
  const target = { reference, patched };

  const unserved = unservedInterpreters(cache);
  const first = await setUpEngineJudge(config, runtimes.runtimeFor(choice, { unserved }), cache);
  assert.ok('judge' in first, 'not known yet: a judge');
  const v = await verifyWithCache(keepLeft, { ...target, judge: first.judge }, runtimes.runtimeFor(choice, { unserved }), cache);
  assert.equal(v.verdict, 'exact');
  assert.equal(first.judge.counts.skipped, 1);

  // The next run: a fresh runtime (a new process), never started.
  const next = createPythonRuntimes().runtimeFor(choice, { unserved });
  const second = await setUpEngineJudge(config, next, cache);
  assert.ok('none' in second, 'known now: no judge');
  assert.match(second.none, /needs CPython, and .*broken-python: exited before answering: it exited with code 3 \(when last started; tried again once it changes\)/);
  const hit = await verifyWithCache(keepLeft, target, next, cache);
  assert.equal(hit.cached, true);
  assert.equal(next.loaded, false, 'no Python started');

  // Fixed (here: rewritten): it is tried again.
  writeFileSync(stub, '#!/bin/sh\nexit 42\n');
  assert.ok('judge' in (await setUpEngineJudge(config, next, cache)));
});

test('an engine that cannot be loaded is not remembered: fixed outside its files (a missing module, a settings file), it judges again', { skip }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-judge-'));
  const injector = writeFakeEngine(root);
  // The engine needs a file that its fingerprint (engine/**/*.py) does not cover.
  writeFileSync(injector, `open(${JSON.stringify(path.join(root, 'engine-settings.txt'))}).read()\n${readFileSync(injector, 'utf8')}`);
  const location = await locateEngine(resolveConfig({}, root));
  assert.ok(!('none' in location));
  const judge = createEngineJudge(location);
  const cache = createContentCache(path.join(root, '.cache'));
  const target = { reference, patched, judge };
  const broken = await verifyWithCache(keepLeft, target, python, cache);
  assert.equal(broken.verdict, 'error');
  assert.match(broken.reason ?? '', /could not be loaded: FileNotFoundError/);
  assert.equal(broken.engineFailed, true);

  writeFileSync(path.join(root, 'engine-settings.txt'), 'ok\n');
  const fixed = await verifyWithCache(keepLeft, target, python, cache);
  assert.equal(fixed.cached, false);
  assert.equal(fixed.verdict, 'exact', fixed.reason);
  assert.equal((await verifyWithCache(keepLeft, target, python, cache)).cached, true, 'a verdict the engine judged is remembered');
});
