import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { applyFilePatch, hunkTexts } from '../../src/patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';

const reference = ['import math', '', '', 'def area(r):', '    return math.pi * r ** 2', '', '', 'def double(x):', '    y = x * 2', '    return y', ''].join('\n');

function patchFor(oldStart: number, body: string[]): string {
  return `--- a/geo.py\n+++ b/geo.py\n@@ -${oldStart},3 +${oldStart},3 @@\n${body.join('\n')}\n`;
}

const doubleHunk = [' def double(x):', '-    y = x * 2', '+    y = x', '     return y'];

test('applies at the stated line', () => {
  const patched = applyFilePatch(reference, parseUnifiedDiff(patchFor(8, doubleHunk), 'p'), 'p', 'geo.py').text;
  assert.match(patched, /    y = x\n    return y/);
  assert.doesNotMatch(patched, /x \* 2/);
});

test('applies when the hunk header is off by a few lines (offset, like patch)', () => {
  for (const start of [4, 5, 11, 12]) {
    const patched = applyFilePatch(reference, parseUnifiedDiff(patchFor(start, doubleHunk), 'p').structured, 'p', 'geo.py').text;
    assert.match(patched, /    y = x\n/, `header at ${start}`);
  }
});

test('applies a patch with CRLF line endings to an LF file', () => {
  const crlf = patchFor(8, doubleHunk).replace(/\n/g, '\r\n');
  const patched = applyFilePatch(reference, parseUnifiedDiff(crlf, 'p').structured, 'p', 'geo.py').text;
  assert.match(patched, /    y = x\n/);
});

test('a hunk that fits nowhere is named in the error', () => {
  const wrong = [' def double(x):', '-    y = x * 3', '+    y = x', '     return y'];
  assert.throws(
    () => applyFilePatch(reference, parseUnifiedDiff(patchFor(8, wrong), 'bugs/b.patch'), 'bugs/b.patch', 'geo.py'),
    (err: unknown) =>
      err instanceof InputError && err.kind === 'does-not-apply' && err.file === 'bugs/b.patch' && err.line === 3 && /hunk 1 of 1 \(`@@ -8,3 \+8,3 @@` at line 3.*y = x \* 3.* no longer exists in geo\.py; the closest statements it does contain: line 9 `y = x \* 2`/.test(err.reason),
  );
});

test('snippet texts come from the hunks alone', () => {
  const { before, after } = hunkTexts(parseUnifiedDiff(patchFor(8, doubleHunk), 'p').structured);
  assert.equal(before, 'def double(x):\n    y = x * 2\n    return y\n');
  assert.equal(after, 'def double(x):\n    y = x\n    return y\n');
});
