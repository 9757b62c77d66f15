import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { inject } from '../../src/injector/inject.js';
import { writeFakeEngine } from './support/fake-engine.js';

// The engine behaviour the ladders of track passes rely on: a find_and_track pass that finds
// nothing leaves the context as it was, a later one that matches overwrites it, and a replace
// pinned to a position no track recorded matches nothing; a track sees the context its own earlier
// matches recorded. Pinned for bug-author's injector, the
// fake engine, and the public engine when there is one (BUG_AUTHOR_ENGINE_DIR; CI has none).

const source = 'def f(a):\n    x = a + 1\n    y = x * 2\n    z = y - 3\n    return z\n';
const assigned = (index: number) => ({ node_type: 'Assign', targets: [{ node_type: 'Name', id: `_var${index}` }] });
const track = (pass: number, pattern: object) => ({ pass, type: 'find_and_track', description: 't', pattern, track_as: { line: 'node.lineno', col: 'node.col_offset' } });
const deleteTracked = (pass: number) => ({
  pass,
  type: 'find_and_replace',
  description: 'd',
  pattern: { node_type: 'Assign', lineno: { from_context: 'line' }, col_offset: { from_context: 'col' } },
  replacement: { type: 'delete_statement' },
});
const definition = (logic: object[]) => ({ id: 'ladder', injection_type: 'ast', target_function: 'f', logic });

// A track whose pattern reads a variable it also records sees its own earlier matches: the engine
// updates the context as it walks. Spending the column the first match starts in leaves the later
// matches nothing to match, so the pass records the first match, not the last (a single reading's
// confirmation relies on it).
const column = { pass: 1, type: 'find_and_track', description: 'k', pattern: assigned(0), track_as: { key: 'node.col_offset' } };
const firstOnly = {
  pass: 2,
  type: 'find_and_track',
  description: 'f',
  pattern: { node_type: 'Assign', col_offset: { from_context: 'key' } },
  track_as: { line: 'node.lineno', col: 'node.col_offset', key: 'node.end_col_offset' },
};

const cases = [
  { name: 'a later track that finds nothing keeps the context', logic: [track(1, assigned(1)), track(2, assigned(7)), deleteTracked(3)], ok: true, deleted: 'y = x * 2' },
  { name: "a track's match updates the context before the pass tries the next node", logic: [column, firstOnly, deleteTracked(3)], ok: true, deleted: 'x = a + 1' },
  { name: 'a later track that matches overwrites it', logic: [track(1, assigned(1)), track(2, assigned(2)), deleteTracked(3)], ok: true, deleted: 'z = y - 3' },
  { name: 'no track matched: the pinned replace matches nothing', logic: [track(1, assigned(7)), track(2, assigned(8)), deleteTracked(3)], ok: false, deleted: undefined },
] as const;

function judgeWith(engineDir: string): (logic: readonly object[]) => { ok: boolean; output: string } {
  return (logic) => {
    const script = 'import json,sys\nfrom engine.ast_harden.generic_injector import GenericBugInjector\nd=json.load(sys.stdin)\nout,ok=GenericBugInjector(d["definition"]).inject(d["source"])\nprint(json.dumps({"ok":ok,"output":out}))';
    const text = execFileSync('python3', ['-c', script], { input: JSON.stringify({ definition: definition([...logic]), source }), encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, PYTHONPATH: engineDir, PYTHONDONTWRITEBYTECODE: '1' } });
    // (The fake engine says what it is on stdout first: the answer is the last line.)
    return JSON.parse(text.trim().split("\n").at(-1)!) as { ok: boolean; output: string };
  };
}

function assertOutcome(result: { ok: boolean; output: string | null }, expected: (typeof cases)[number]): void {
  assert.equal(result.ok, expected.ok);
  const lines = (result.output ?? '').split('\n').map((l) => l.trim());
  for (const statement of ['x = a + 1', 'y = x * 2', 'z = y - 3']) assert.equal(lines.includes(statement), statement !== expected.deleted, `${statement} in:\n${result.output}`);
}

for (const c of cases) {
  test(`built-in injector: ${c.name}`, async () => {
    assertOutcome(await inject(definition([...c.logic]), source), c);
  });
}

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

const fakeRoot = mkdtempSync(path.join(os.tmpdir(), 'bug-author-ladder-engine-'));
writeFakeEngine(fakeRoot);
for (const c of cases) {
  test(`fake engine: ${c.name}`, { skip: !hasPython && 'no python3' }, () => assertOutcome(judgeWith(fakeRoot)(c.logic), c));
}

const realEngine = process.env.BUG_AUTHOR_ENGINE_DIR;
const realAvailable = hasPython && realEngine !== undefined && existsSync(path.join(realEngine, 'engine', 'ast_harden', 'generic_injector.py'));
for (const c of cases) {
  test(`public engine (BUG_AUTHOR_ENGINE_DIR): ${c.name}`, { skip: !realAvailable && 'set BUG_AUTHOR_ENGINE_DIR to the public engine (with CPython) to run this' }, () => assertOutcome(judgeWith(realEngine!)(c.logic), c));
}
