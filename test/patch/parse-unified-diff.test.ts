import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';
import { refreshPatchText } from '../../src/patch/refresh-patch.js';

const gitStyle = `--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -1,3 +1,3 @@
 def f(x):
-    return x + 1
+    return x
 
`;

test('git-style a/ b/ headers are stripped like patch -p1', () => {
  const parsed = parseUnifiedDiff(gitStyle, 'x.patch');
  assert.equal(parsed.targetPath, 'pkg/mod.py');
  assert.equal(parsed.structured.hunks.length, 1);
});

test('bare headers with diff -u timestamps keep the path only', () => {
  const text = '--- pkg/mod.py\t2025-02-03 09:14:27.000000000 +0100\n+++ pkg/mod.py\t2025-02-03 09:31:05.000000000 +0100\n@@ -1,2 +1,2 @@\n def f(x):\n-    return x + 1\n+    return x\n';
  assert.equal(parseUnifiedDiff(text, 'x.patch').targetPath, 'pkg/mod.py');
});

test('CRLF patches and "\\ No newline at end of file" parse', () => {
  const text = '--- a/m.py\r\n+++ b/m.py\r\n@@ -1,2 +1,2 @@\r\n def f(x):\r\n-    return x + 1\r\n\\ No newline at end of file\r\n+    return x\r\n\\ No newline at end of file\r\n';
  const parsed = parseUnifiedDiff(text, 'x.patch');
  assert.equal(parsed.targetPath, 'm.py');
  assert.deepEqual(
    parsed.structured.hunks[0]!.lines.filter((l) => l.startsWith('-') || l.startsWith('+')),
    ['-    return x + 1', '+    return x'],
  );
});

function rejects(text: string, kind: string, pattern: RegExp) {
  assert.throws(
    () => parseUnifiedDiff(text, 'bugs/x.patch'),
    (err: unknown) => err instanceof InputError && err.kind === kind && err.file === 'bugs/x.patch' && pattern.test(err.reason),
  );
}

test('an empty patch is an error naming the file', () => {
  rejects('', 'empty-patch', /empty/);
  rejects('   \n\n', 'empty-patch', /empty/);
  rejects('--- a/m.py\n+++ b/m.py\n', 'empty-patch', /no hunks/);
});

test('binary diffs are rejected', () => {
  rejects('diff --git a/x.bin b/x.bin\nBinary files a/x.bin and b/x.bin differ\n', 'binary', /binary/);
});

test('a patch changing two files is rejected with both names', () => {
  const two = `${gitStyle}--- a/pkg/other.py\n+++ b/pkg/other.py\n@@ -1,1 +1,1 @@\n-a = 1\n+a = 2\n`;
  rejects(two, 'multi-file-patch', /2 files \(pkg\/mod\.py, pkg\/other\.py\)/);
});

test('a patch creating a file is rejected', () => {
  rejects('--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,1 @@\n+a = 1\n', 'bad-patch', /creates a new file/);
});

test('a description line starting with `*** ` is text, not a context-diff header (GNU patch agrees)', () => {
  const reference = 'import torch\n\n\ndef silu(x):\n    # gate the input\n    return x * torch.sigmoid(x)\n';
  const text = '*** Students see: silu returns the sigmoid\n--- a/pkg/act.py\n+++ b/pkg/act.py\n@@ -4,3 +4,3 @@\n def silu(x):\n     # gate the input\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n';
  const parsed = parseUnifiedDiff(text, 'x.patch');
  assert.equal(parsed.targetPath, 'pkg/act.py');
  assert.equal(parsed.oldName, 'a/pkg/act.py');
  assert.equal(parsed.newName, 'b/pkg/act.py');
  // Refreshing keeps the description and the header as written.
  const stale = reference.replace('    # gate the input\n', '    # gate it\n');
  const fresh = refreshPatchText(text, parsed, stale, stale.replace('x * torch.sigmoid(x)', 'torch.sigmoid(x)'));
  assert.match(fresh, /^\*\*\* Students see: silu returns the sigmoid\n--- a\/pkg\/act\.py\n\+\+\+ b\/pkg\/act\.py\n@@ /);
  try {
    execFileSync('patch', ['--version'], { stdio: 'pipe' });
  } catch {
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-gnu-'));
  mkdirSync(path.join(dir, 'pkg'));
  writeFileSync(path.join(dir, 'pkg/act.py'), reference);
  writeFileSync(path.join(dir, 'b.patch'), text);
  execFileSync('patch', ['-p1', '-i', 'b.patch'], { cwd: dir, stdio: 'pipe', input: '' });
  assert.match(readFileSync(path.join(dir, 'pkg/act.py'), 'utf8'), /    return torch\.sigmoid\(x\)\n$/);
});

test('`*** name` followed by `--- name` and a `***************` hunk is still a context diff', () => {
  const text = '*** a/pkg/act.py\n--- b/pkg/act.py\n***************\n*** 1,2 ****\n  def f(x):\n!     return x + 1\n--- 1,2 ----\n  def f(x):\n!     return x\n';
  const parsed = parseUnifiedDiff(text, 'x.patch');
  assert.equal(parsed.targetPath, 'pkg/act.py');
  assert.equal(parsed.oldName, 'a/pkg/act.py');
});
