import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';

// `bug-author try` on a small project: definitions named by --bug, student files on disk.

const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-try-'));
const bug = {
  id: 'scale-bug',
  description: 'drops the factor',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'scale',
  logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'BinOp', op: 'Mult' }, replacement: { type: 'replace_with', source: 'node.left' } }],
};
mkdirSync(path.join(root, 'modules', 'scaling', 'bugs'), { recursive: true });
writeFileSync(path.join(root, 'modules', 'scaling', 'bugs', 'drop_factor.json'), JSON.stringify(bug));
mkdirSync(path.join(root, 'submissions'));
writeFileSync(path.join(root, 'submissions', 'alice.py'), 'def scale(v, k):\n    return v * k\n');
writeFileSync(path.join(root, 'submissions', 'bob.py'), 'def scale(x, factor):\n    return x * factor\n');
writeFileSync(path.join(root, 'submissions', 'latin1.py'), Buffer.from('def scale(v, k):\n    # caf\xe9\n    return v * k\n', 'latin1'));
const BUG = 'modules/scaling/bugs/drop_factor.json';

test('a student file that is not UTF-8 is listed and skipped; the others are tried', async () => {
  const result = await runInProcess(['try', '--bug', BUG, 'submissions/'], root);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /submissions\/latin1\.py: student file is not valid UTF-8 \(line 2\)/);
  assert.match(result.stdout, /✔ 2 injected/);
  const json = JSON.parse((await runInProcess(['try', '--bug', BUG, '--format', 'json', 'submissions/'], root)).stdout) as { unreadable: { file: string }[]; totals: { injected: number } };
  assert.deepEqual(json.unreadable.map((u) => u.file), ['submissions/latin1.py']);
  assert.equal(json.totals.injected, 2);
});

test('--module selects definitions named by --bug by the module their place says', async () => {
  const scaling = await runInProcess(['try', '--bug', BUG, '--module', 'scaling', 'submissions/alice.py'], root);
  assert.equal(scaling.code, 0, scaling.stderr);
  assert.match(scaling.stdout, /✔ 1 injected/);
  const other = await runInProcess(['try', '--bug', BUG, '--module', 'softmax', 'submissions/alice.py'], root);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /no definition of module 'softmax' \(have: scaling\)/);
});

test('--bug uses the Python the project config asks for', { skip: process.platform === 'win32' && 'shell script' }, async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'bug-author-try-python-'));
  const marker = path.join(project, 'python-used');
  writeFileSync(path.join(project, 'py.sh'), `#!/bin/sh\ntouch '${marker}'\nexec python3 "$@"\n`);
  chmodSync(path.join(project, 'py.sh'), 0o755);
  writeFileSync(path.join(project, 'bug-author.config.mjs'), "export default { python: './py.sh' };\n");
  writeFileSync(path.join(project, 'bug.json'), JSON.stringify(bug));
  writeFileSync(path.join(project, 'alice.py'), 'def scale(v, k):\n    return v * k\n');
  const result = await runInProcess(['try', '--bug', 'bug.json', 'alice.py'], project, { BUG_AUTHOR_PYTHON: '' });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(existsSync(marker), 'the configured interpreter served the injection');
});

test('the last line shows ✔ only when something was injected; a no-match says which pass found nothing and the nearest line', async () => {
  writeFileSync(path.join(root, 'submissions-none.py'), 'def scale(v, k):\n    return v + k\n');
  const result = await runInProcess(['try', '--bug', BUG, 'submissions-none.py'], root);
  assert.equal(result.code, 0, result.stderr);
  const last = result.stdout.trimEnd().split('\n').at(-1)!;
  assert.equal(last, '• 0 injected, 1 no-match, 0 broke, 0 absent');
  assert.match(result.stdout, /no-match — pass 1 looks for `… \* …` in `scale` and matches nothing; nearest here: line 2 `return v \+ k`, which lacks the operator Mult at `op` \(it has Add\)/);
  const json = JSON.parse((await runInProcess(['try', '--bug', BUG, '--format', 'json', 'submissions-none.py'], root)).stdout) as { cells: Array<{ explanation?: { pass: number; nearest?: { line: number } } }> };
  assert.equal(json.cells[0]!.explanation?.pass, 1);
  assert.equal(json.cells[0]!.explanation?.nearest?.line, 2);
});
