import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-inject-'));
const bug = {
  id: 'scale-missing',
  description: 'drops the scale',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'score',
  logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'BinOp', op: 'Div' }, replacement: { type: 'replace_with', source: 'node.left' } }],
};
writeFileSync(path.join(dir, 'bug.json'), JSON.stringify(bug));
writeFileSync(path.join(dir, 'student.py'), 'def score(q, k, d):\n    # the student wrote it their own way\n    raw = q @ k\n    return raw / d ** 0.5\n');
writeFileSync(path.join(dir, 'other.py'), 'def score(q, k):\n    return q @ k\n');

test('prints what the student would get', async () => {
  const result = await runInProcess(['inject', '--bug', 'bug.json', '--source', 'student.py'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'def score(q, k, d):\n    raw = q @ k\n    return raw\n');
});

test('--verbose says which Python served; BUG_AUTHOR_PYTHON chooses it, and the output is the same', async () => {
  const pyodide = await runInProcess(['inject', '--bug', 'bug.json', '--source', 'student.py', '--verbose'], dir, { BUG_AUTHOR_PYTHON: 'pyodide' });
  assert.equal(pyodide.code, 0, pyodide.stderr);
  assert.match(pyodide.stderr, /^python: pyodide \d+\.\d+\.\d+ \(Python 3\.\d+\.\d+\) \(in-process; BUG_AUTHOR_PYTHON=pyodide\)$/m);
  const missing = await runInProcess(['inject', '--bug', 'bug.json', '--source', 'student.py', '--verbose'], dir, { BUG_AUTHOR_PYTHON: 'no-such-python' });
  assert.equal(missing.stdout, pyodide.stdout);
  assert.match(missing.stderr, /^python: pyodide .*BUG_AUTHOR_PYTHON=no-such-python; not CPython: no no-such-python on PATH\)$/m);
});

test('exit 1 when the injector finds nothing, saying which pass', async () => {
  const result = await runInProcess(['inject', '--bug', 'bug.json', '--source', 'other.py'], dir);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /nothing injected into other\.py \(pass 1 \(find_and_replace\) matched nothing\)/);
});

test('usage and unreadable input exit 2 with the file named', async () => {
  assert.equal((await runInProcess(['inject', '--bug', 'bug.json'], dir)).code, 2);
  const missing = await runInProcess(['inject', '--bug', 'nope.json', '--source', 'student.py'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.json: bug definition not found/);
  writeFileSync(path.join(dir, 'broken.json'), '{ "id": ');
  const broken = await runInProcess(['inject', '--bug', 'broken.json', '--source', 'student.py'], dir);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.json: not valid JSON/);
});

test('every unusable input exits 2, naming the file; a usable definition that changes nothing exits 1', async () => {
  writeFileSync(path.join(dir, 'latin1.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]));
  writeFileSync(path.join(dir, 'broken.py'), 'def score(q, k:\n    return q\n');
  writeFileSync(path.join(dir, 'not-a-definition.json'), JSON.stringify({ id: 'x', logic: 'nope' }));
  writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
  const cases: [string[], RegExp][] = [
    [['--bug', 'nope.json', '--source', 'student.py'], /nope\.json: bug definition not found/],
    [['--bug', 'bug.json', '--source', 'nope.py'], /nope\.py: source file not found/],
    [['--bug', 'latin1.json', '--source', 'student.py'], /latin1\.json: bug definition is not valid UTF-8/],
    [['--bug', 'bug.json', '--source', 'latin1.py'], /latin1\.py: source file is not valid UTF-8/],
    [['--bug', 'not-a-definition.json', '--source', 'student.py'], /not-a-definition\.json: not a valid v2\.1 bug definition/],
    [['--bug', 'bug.json', '--source', 'broken.py'], /broken\.py: not valid Python/],
  ];
  for (const [args, message] of cases) {
    const result = await runInProcess(['inject', ...args], dir);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  const help = await runInProcess(['inject', '--help'], dir);
  assert.match(help.stdout, /Exit codes: 0 injected .*1 the definition injects nothing .*2 usage error or unusable input/s);
});
