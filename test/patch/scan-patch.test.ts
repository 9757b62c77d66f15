import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { applyFilePatch, applyLikeEngine } from '../../src/patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../../src/patch/parse-unified-diff.js';

const reference = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
const header = '--- a/t.py\n+++ b/t.py\n';

/** GNU patch's answer for `patch <file> <patch>` (what the engine runs), or undefined when it is not installed. */
function gnuPatch(ref: string, patch: string): { ok: boolean; text: string } | undefined {
  try {
    execFileSync('patch', ['--version'], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-gnu-'));
  writeFileSync(path.join(dir, 't.py'), ref);
  writeFileSync(path.join(dir, 'b.patch'), patch);
  try {
    execFileSync('patch', [path.join(dir, 't.py'), path.join(dir, 'b.patch')], { stdio: 'pipe', input: '' });
    return { ok: true, text: readFileSync(path.join(dir, 't.py'), 'utf8') };
  } catch {
    return { ok: false, text: '' };
  }
}

function likeEngine(ref: string, patch: string): { ok: boolean; text: string; error?: string } {
  try {
    return { ok: true, text: applyLikeEngine(ref, parseUnifiedDiff(patch, 'b.patch', 'patch'), 'b.patch', 't.py').text };
  } catch (err) {
    if (err instanceof InputError) return { ok: false, text: '', error: err.reason };
    throw err;
  }
}

/** Patches as found in real repositories; each is applied by our engine emulation and, when installed, by GNU patch. */
const FORMS: Record<string, { patch: string; ref?: string; applies: boolean; expect?: string }> = {
  'exact': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n`, applies: true, expect: 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n' },
  'offset far away': { patch: `${header}@@ -1,3 +1,3 @@\n h\n-i\n+I\n j\n`, applies: true, expect: 'a\nb\nc\nd\ne\nf\ng\nh\nI\nj\n' },
  'fuzz 1 (first and last context lines differ)': { patch: `${header}@@ -3,5 +3,5 @@\n X\n c\n-d\n+D\n e\n Y\n`, applies: true },
  'fuzz exhausted': { patch: `${header}@@ -1,7 +1,7 @@\n X\n Y\n Q\n-d\n+D\n e\n f\n g\n`, applies: false },
  'removed line differs': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-dd\n+D\n e\n`, applies: false },
  'extra lines past the counts are ignored': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n-f\n+F\n`, applies: true, expect: 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n' },
  'counts too large before the next hunk: malformed': { patch: `${header}@@ -3,4 +3,4 @@\n c\n-d\n+D\n e\n@@ -7,3 +7,3 @@\n g\n-h\n+H\n i\n`, applies: false },
  'counts one too large at the end: blank context assumed': { patch: `${header}@@ -3,4 +3,4 @@\n c\n-d\n+D\n e\n`, applies: true },
  'garbage between hunks: a second pass on the same file': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n+junk\n@@ -7,3 +7,3 @@\n g\n-h\n+H\n i\n`, applies: true, expect: 'a\nb\nc\nD\ne\nf\ng\nH\ni\nj\n' },
  'comment lines (#) inside a hunk are skipped': { patch: `${header}@@ -3,3 +3,3 @@\n c\n# a note\n-d\n+D\n e\n`, applies: true },
  'CRLF patch on an LF file': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n`.replace(/\n/g, '\r\n'), applies: true, expect: 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n' },
  'indented patch': { patch: `  --- a/t.py\n  +++ b/t.py\n  @@ -3,3 +3,3 @@\n   c\n  -d\n  +D\n   e\n`, applies: true },
  'mail around it and a signature after': { patch: `From: someone\nSubject: [PATCH] bug\n\nthe bug\n---\n${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n-- \n2.34.1\n`, applies: true },
  'hunk header without counts': { patch: `${header}@@ -4 +4 @@\n-d\n+D\n`, applies: true },
  'context line starting with a tab (its space eaten)': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n\te\n`, ref: 'a\nb\nc\nd\n\te\nf\n', applies: true, expect: 'a\nb\nc\nD\n\te\nf\n' },
  'blank context line without its space': { patch: `${header}@@ -1,3 +1,3 @@\n-a\n+A\n\n c\n`, ref: 'a\n\nc\n', applies: true, expect: 'A\n\nc\n' },
  'already applied (reversed)': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-D\n+d\n e\n`, applies: false },
  'context diff': {
    patch: `*** a/t.py\n--- b/t.py\n***************\n*** 2,6 ****\n  b\n  c\n! d\n  e\n  f\n--- 2,6 ----\n  b\n  c\n! D\n  e\n  f\n`,
    applies: true,
    expect: 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n',
  },
  'normal diff': { patch: `4c4\n< d\n---\n> D\n`, applies: true, expect: 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n' },
  'no newline at the end of the file': { patch: `${header}@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\\ No newline at end of file\n`, ref: 'a\nb\nc', applies: true, expect: 'a\nB\nc' },
  'unterminated last line (patch drops it)': { patch: `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e`, applies: true },
};

describe('the engine emulation applies patches exactly as GNU patch does', () => {
  for (const [name, form] of Object.entries(FORMS)) {
    test(name, () => {
      const ref = form.ref ?? reference;
      const ours = likeEngine(ref, form.patch);
      assert.equal(ours.ok, form.applies, ours.error);
      if (form.expect !== undefined) assert.equal(ours.text, form.expect);
      const gnu = gnuPatch(ref, form.patch);
      if (gnu) {
        assert.equal(ours.ok, gnu.ok, 'GNU patch disagrees on whether it applies');
        if (gnu.ok) assert.equal(ours.text, gnu.text, 'GNU patch produces another text');
      }
    });
  }
});

describe('reading patches for a build (recounting)', () => {
  test('a miscounted hunk is recounted and reported, not "Hunk at line 3 contained invalid line"', () => {
    const patch = `${header}@@ -3,2 +3,2 @@\n c\n-d\n+D\n e\n f\n`;
    const parsed = parseUnifiedDiff(patch, 'b.patch');
    assert.deepEqual(parsed.hunks[0]!.declared, { oldLines: 2, newLines: 2 });
    assert.deepEqual(parsed.hunks[0]!.counted, { oldLines: 4, newLines: 4 });
    const applied = applyFilePatch(reference, parsed, 'b.patch', 't.py');
    assert.equal(applied.text, 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n');
    assert.deepEqual(applied.notes, [{ kind: 'recounted', hunk: 1, line: 3, header: '@@ -3,2 +3,2 @@', declared: { oldLines: 2, newLines: 2 }, counted: { oldLines: 4, newLines: 4 } }]);
  });

  test('the same miscounted hunk read as the engine reads it: the error says what is wrong with the counts', () => {
    const patch = `${header}@@ -3,5 +3,5 @@\n c\n-d\n+D\n e\n@@ -8,3 +8,3 @@\n h\n-i\n+I\n j\n`;
    assert.throws(
      () => parseUnifiedDiff(patch, 'b.patch', 'patch'),
      (err: unknown) =>
        err instanceof InputError &&
        err.kind === 'bad-patch' &&
        /hunk `@@ -3,5 \+3,5 @@` at line 3 is malformed: its header promises 5 old and 5 new lines, but it has 3 old and 3 new lines/.test(err.reason) &&
        !/invalid line/.test(err.reason),
    );
    // Building reads it fine, and says so.
    const parsed = parseUnifiedDiff(patch, 'b.patch');
    assert.equal(parsed.hunks.length, 2);
    assert.equal(parsed.hunks[0]!.recounted, true);
  });

  test('trailing garbage, blank lines between hunks and a signature do not end up in hunks', () => {
    const patch = `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n\n@@ -8,3 +8,3 @@\n h\n-i\n+I\n j\n-- \n2.43.0\n\n`;
    const parsed = parseUnifiedDiff(patch, 'b.patch');
    assert.equal(parsed.hunks.filter((h) => h.recounted).length, 0);
    assert.equal(applyFilePatch(reference, parsed, 'b.patch', 't.py').text, 'a\nb\nc\nD\ne\nf\ng\nh\nI\nj\n');
  });

  test('an ed script is named as such', () => {
    assert.throws(
      () => parseUnifiedDiff('4c\nD\n.\n', 'b.patch'),
      (err: unknown) => err instanceof InputError && /ed script/.test(err.reason),
    );
  });
});

describe('a hunk header GNU patch cannot read refuses the whole patch, naming its line', () => {
  const twoHunks = (second: string) => `${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n${second}\n g\n-h\n+H\n i\n`;
  const bothApplied = 'a\nb\nc\nD\ne\nf\ng\nH\ni\nj\n';
  // Each of these GNU patch refuses ("missing line number", "malformed patch") or reads as trailing garbage, dropping the hunk.
  const unreadable = ['@@ -7,x +7,y @@', '@@ 7,3 7,3 @@', '@ -7,3 +7,3 @@', '@@ -7,3 +7,3', '@@-7,3 +7,3 @@', '@@@ -7,3 +7,3 @@@', '@@ -7,3 + 7,3 @@', '@@ -a,3 +7,3 @@', '@@ +7,3 -7,3 @@', '@@ -7, 3 +7,3 @@', '@@ -7,3\t+7,3 @@', '@@'];
  for (const second of unreadable) {
    test(`\`${second}\``, () => {
      const patch = twoHunks(second);
      const gnu = gnuPatch(reference, patch);
      if (gnu) assert.ok(!gnu.ok || gnu.text !== bothApplied, 'GNU patch reads it after all');
      for (const mode of ['recount', 'patch'] as const) {
        assert.throws(
          () => parseUnifiedDiff(patch, 'b.patch', mode),
          (err: unknown) => err instanceof InputError && err.kind === 'bad-patch' && err.line === 8 && err.reason.includes(`the hunk header \`${second}\` at line 8 cannot be read`),
          `${mode}: ${second}`,
        );
      }
    });
  }

  test('as the first hunk too', () => {
    assert.throws(() => parseUnifiedDiff(`${header}@@ -3,x +3,y @@\n c\n-d\n+D\n e\n`, 'b.patch'), (err: unknown) => err instanceof InputError && err.line === 3);
  });

  // The forms GNU patch does read stay readable, with the same result.
  const readable = ['@@ -7,3 +7,3 @@', '@@ -7,3 +7,3 @', '@@ -7,3 +7,3 @@ def scale(x):', '@@ -7,3 +7,3@@', '@@ -7,3 +7,3 @@@', '@@ -7,3+7,3 @@', '@@ -07,3 +7,3 @@'];
  for (const second of readable) {
    test(`\`${second}\` is read as GNU patch reads it`, () => {
      const patch = twoHunks(second);
      assert.equal(likeEngine(reference, patch).text, bothApplied);
      assert.equal(applyFilePatch(reference, parseUnifiedDiff(patch, 'b.patch'), 'b.patch', 't.py').text, bothApplied);
      const gnu = gnuPatch(reference, patch);
      if (gnu) assert.equal(gnu.text, bothApplied);
    });
  }

  test('extra blanks inside a header (GNU patch skips that hunk) are refused too', () => {
    const patch = twoHunks('@@  -7,3 +7,3 @@');
    const gnu = gnuPatch(reference, patch);
    if (gnu) assert.notEqual(gnu.text, bothApplied);
    for (const mode of ['recount', 'patch'] as const) assert.throws(() => parseUnifiedDiff(patch, 'b.patch', mode), (err: unknown) => err instanceof InputError && err.line === 8);
  });

  test('a line starting with @ in the description is no hunk header', () => {
    const patch = `@maintainer: please review\n\n${header}@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n`;
    assert.equal(parseUnifiedDiff(patch, 'b.patch').hunks.length, 1);
  });
});
