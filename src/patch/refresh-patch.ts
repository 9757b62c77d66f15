import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import { InputError } from '../errors.js';
import { applyLikeEngine } from './apply-file-patch.js';
import { parseUnifiedDiff, type FilePatch } from './parse-unified-diff.js';

/** Lines of context around each change in a refreshed patch (as `diff -u`). */
const CONTEXT = 3;

/**
 * Whether `patch` applies to the reference exactly as written: every hunk at its stated line,
 * its context matching, its counts right. Such a patch needs no refresh.
 */
export function isFreshPatch(patchText: string, reference: string, file: string): boolean {
  try {
    const strict = parseUnifiedDiff(patchText, file, 'patch');
    if (strict.hunks.some((h) => h.recounted) || strict.notes.length) return false;
    const applied = applyLikeEngine(reference, strict, file, 'reference');
    return applied.fuzz.every((f) => f === 0) && applied.offsets.every((o) => o === 0);
  } catch (err) {
    if (err instanceof InputError) return false;
    throw err;
  }
}

/**
 * The same edit as a fresh patch: the diff between the reference and the patched reference
 * with `diff -u`'s context, under the original's header lines (a description before them is
 * kept; a git `index` line, whose hashes would no longer hold, is dropped).
 */
export function refreshPatchText(original: string, patch: FilePatch, reference: string, patched: string): string {
  const oldName = patch.oldName || patch.targetPath;
  const newName = patch.newName || patch.targetPath;
  const fresh = structuredPatch(oldName, newName, reference, patched, undefined, undefined, { context: CONTEXT });
  const hunks = formatPatch(fresh, OMIT_HEADERS);
  return `${preamble(original, patch.headerLine)}--- ${oldName}\n+++ ${newName}\n${hunks.endsWith('\n') ? hunks : `${hunks}\n`}`;
}

/** What comes before the first file header (a commit message, a `diff --git` line), minus `index` lines. */
function preamble(original: string, headerLine: number): string {
  const kept = original
    .replace(/\r\n/g, '\n')
    .split('\n')
    .slice(0, headerLine - 1)
    .filter((l) => !/^index [0-9a-f]+\.\.[0-9a-f]+/.test(l));
  return kept.length ? `${kept.join('\n')}\n` : '';
}
