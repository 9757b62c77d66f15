import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { explainNoMatch } from '../../../src/injector/explain-no-match.js';
import { inject, prepareDefinition } from '../../../src/injector/inject.js';
import { sharedPythonRuntime } from '../../../src/python/runtime.js';
import { sameTree } from '../../../src/python/tree.js';
import { synthGenerator } from '../../../plugins/synth/index.js';
import { engineDirectory } from '../../transfer/support/student-files.js';
import { bugContextFrom, generatorContextFor, parseModule } from './synth-fixture.js';

// A ladder reads a site at several `_varN` positions and lets the reading nearest the
// reference's win. A student's file can hold another statement of the site's shape nearer that
// position than the site: the ladder's readings, run again in the other order, then end on
// another place, and the definition fails loudly instead of changing that statement.

const REFERENCE = [
  'def split_heads(x, w, n):',
  '    h = x.shape[-1] // n',
  '    q = x @ w',
  '    q = q.view(n, h).transpose(0, 1)',
  '    out = attend(q)',
  '    out = out.transpose(0, 1)',
  '    return out.reshape(-1)',
  '',
].join('\n');

const PATCHED = REFERENCE.replace('    out = out.transpose(0, 1)\n', '');

/** One more assignment at the top: the site moves two places (`_var6`), and `q.transpose(…)`, split from its `view`, lands on the reference's (`_var4`). */
const SPLIT = [
  'def split_heads(x, w, n):',
  '    scale = 1.0',
  '    h = x.shape[-1] // n',
  '    q = x @ w * scale',
  '    q = q.view(n, h)',
  '    q = q.transpose(0, 1)',
  '    out = attend(q)',
  '    out = out.transpose(0, 1)',
  '    return out.reshape(-1)',
  '',
].join('\n');

/** The same extra assignment without the split: one place reads as the site. */
const SHIFTED = SPLIT.replace('    q = q.view(n, h)\n    q = q.transpose(0, 1)\n', '    q = q.view(n, h).transpose(0, 1)\n');

/** The engine's real injector (BUG_AUTHOR_ENGINE_DIR) on `source`: what it hands the student, and whether it injected. */
function onEngine(built: BugDefinition, source: string): [string, boolean] {
  return JSON.parse(
    execFileSync(
      'python3',
      ['-c', 'import json,sys\nsys.path.insert(0, sys.argv[1])\nfrom engine.ast_harden.generic_injector import GenericBugInjector\njob=json.load(sys.stdin)\ncode, ok = GenericBugInjector(job["d"]).inject(job["s"])\nprint(json.dumps([code, ok]))', engineDirectory()!],
      { input: JSON.stringify({ d: built, s: source }), encoding: 'utf8', cwd: '/' },
    ),
  ) as [string, boolean];
}

async function definition(): Promise<BugDefinition> {
  const bug = await bugContextFrom({ reference: REFERENCE, patched: PATCHED });
  const result: GeneratorResult = await synthGenerator().generate(bug, generatorContextFor(bug));
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  return (result as Extract<GeneratorResult, { status: 'generated' }>).definition;
}

test('a statement of the site\'s shape nearer the reference\'s position than the site: no-match, not that statement deleted', async () => {
  const built = await definition();
  assert.ok(built.logic.filter((p) => p.type === 'find_and_track').length > 2, 'the site is read by a ladder');

  const shifted = await inject(built, SHIFTED);
  assert.ok(shifted.ok, JSON.stringify(shifted));
  assert.ok(sameTree(await parseModule(shifted.output!), await parseModule(SHIFTED.replace('    out = out.transpose(0, 1)\n', ''))), shifted.output!);

  const split = await inject(built, SPLIT);
  assert.equal(split.ok, false, `the ladder's nearest reading is \`q = q.transpose(0, 1)\`; it must not be deleted:\n${split.output}`);

  const explanation = explainNoMatch(await prepareDefinition(built, sharedPythonRuntime()), await parseModule(SPLIT), SPLIT);
  assert.ok(explanation, 'explained');
  assert.equal(explanation.nearest?.line, 6);
  assert.equal(explanation.alsoReadAt?.line, 8);
  assert.match(explanation.message, /two places here that read as .*line 6 `q = q\.transpose\(0, 1\)`.*line 8 `out = out\.transpose\(0, 1\)`/);
});

test('the confirmation on the engine\'s real injector: the shifted file gets its bug, the split one nothing', { skip: !engineDirectory() && 'no engine (BUG_AUTHOR_ENGINE_DIR)' }, async () => {
  const built = await definition();
  const run = (source: string) => onEngine(built, source);
  const [shiftedCode, shiftedOk] = run(SHIFTED);
  assert.ok(shiftedOk);
  assert.ok(sameTree(await parseModule(shiftedCode), await parseModule(SHIFTED.replace('    out = out.transpose(0, 1)\n', ''))), shiftedCode);
  assert.equal(run(SPLIT)[1], false);
});

// One reading (a site confined by its arguments alone) finds the last place of its shape. The
// engine's canonical names restart in every function of the target's name, so a student's file
// with two classes' `__init__` holding the same code reads the same twice: its confirmation finds
// the first place, and the guard fails loudly when they differ, whichever class comes first.
const TOTALS = (name: string) => `class ${name}:\n    def __init__(self, xs):\n        self.total = 0\n        for x in xs:\n            self.total = self.total + x\n`;
const TOTALS_PATCHED = TOTALS('Sums').replace('self.total + x', 'x');
const TWICE = [`${TOTALS('Sums')}\n\n${TOTALS('Slow')}`, `${TOTALS('Slow')}\n\n${TOTALS('Sums')}`];

async function oneReading(): Promise<BugDefinition> {
  const bug = await bugContextFrom({ reference: TOTALS('Sums'), patched: TOTALS_PATCHED });
  const result: GeneratorResult = await synthGenerator().generate(bug, generatorContextFor(bug));
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  return (result as Extract<GeneratorResult, { status: 'generated' }>).definition;
}

test('one reading, the same code in two functions of the target\'s name: a loud no-match, never the other one changed', async () => {
  const built = await oneReading();
  assert.equal(built.target_function, '__init__');
  const own = await inject(built, TOTALS('Sums'));
  assert.ok(own.ok && sameTree(await parseModule(own.output!), await parseModule(TOTALS_PATCHED)), JSON.stringify(own));
  for (const student of TWICE) {
    const injected = await inject(built, student);
    assert.equal(injected.ok, false, `${student}\n→\n${injected.output}`);
    const explanation = explainNoMatch(await prepareDefinition(built, sharedPythonRuntime()), await parseModule(student), student);
    assert.equal(explanation?.oneReading, true);
    assert.match(explanation!.message, /two places here .*line 12 .*\(the last found\) and line 5 .*\(the first\)/);
  }
});

// The same for a ladder (a site confined by an `_varN`): each of its readings may find two places too.
const COUNTS = (name: string) => `class ${name}:\n    def count(self, xs):\n        n = 0\n        for x in xs:\n            n = n + 1\n        return n\n`;
const COUNTS_PATCHED = COUNTS('Counter').replace('n = 0', 'n = 1');

test('a ladder, the same code in two functions of the target\'s name: a loud no-match, never the other one changed', async () => {
  const bug = await bugContextFrom({ reference: COUNTS('Counter'), patched: COUNTS_PATCHED });
  const result: GeneratorResult = await synthGenerator().generate(bug, generatorContextFor(bug));
  assert.equal(result.status, 'generated', result.status === 'generated' ? '' : result.reason);
  const built = (result as Extract<GeneratorResult, { status: 'generated' }>).definition;
  assert.ok(built.logic.filter((p) => p.type === 'find_and_track').length > 2, 'the site is read by a ladder');
  const own = await inject(built, COUNTS('Counter'));
  assert.ok(own.ok && sameTree(await parseModule(own.output!), await parseModule(COUNTS_PATCHED)), JSON.stringify(own));
  for (const student of [`${COUNTS('Counter')}\n\n${COUNTS('Tally')}`, `${COUNTS('Tally')}\n\n${COUNTS('Counter')}`]) {
    const injected = await inject(built, student);
    assert.equal(injected.ok, false, `${student}\n→\n${injected.output}`);
  }
});

test('one reading on the engine\'s real injector: the same code twice is refused, once is injected', { skip: !engineDirectory() && 'no engine (BUG_AUTHOR_ENGINE_DIR)' }, async () => {
  const built = await oneReading();
  const run = (source: string) => onEngine(built, source);
  const [code, ok] = run(TOTALS('Sums'));
  assert.ok(ok && sameTree(await parseModule(code), await parseModule(TOTALS_PATCHED)), code);
  for (const student of TWICE) assert.equal(run(student)[1], false, student);
});
