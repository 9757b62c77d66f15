import { applyPatch, type StructuredPatch } from 'diff';
import { InputError } from '../errors.js';

/** Like `patch`: hunks may sit at an offset from their header line numbers, with up to this many mismatched context lines. */
const FUZZ = 2;

/** Applies the patch to the reference text; a hunk that fits nowhere is named in the error. */
export function applyFilePatch(reference: string, patch: StructuredPatch, patchFile: string, referenceLabel: string): string {
  const result = applyPatch(reference, patch, { fuzzFactor: FUZZ, autoConvertLineEndings: true });
  if (result !== false) return result;
  for (let i = 0; i < patch.hunks.length; i++) {
    const partial = { ...patch, hunks: patch.hunks.slice(0, i + 1) };
    if (applyPatch(reference, partial, { fuzzFactor: FUZZ, autoConvertLineEndings: true }) === false) {
      const h = patch.hunks[i]!;
      const firstChange = h.lines.find((l) => l.startsWith('-') || l.startsWith('+')) ?? '';
      throw new InputError(
        'does-not-apply',
        patchFile,
        `hunk ${i + 1} of ${patch.hunks.length} (@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@, first change \`${firstChange.slice(0, 60)}\`) does not apply to ${referenceLabel}`,
        h.oldStart,
      );
    }
  }
  throw new InputError('does-not-apply', patchFile, `the patch does not apply to ${referenceLabel}`);
}

/** Snippet mode: the before/after texts the hunks alone describe. */
export function hunkTexts(patch: StructuredPatch): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      const body = line.slice(1);
      if (line.startsWith(' ')) {
        before.push(body);
        after.push(body);
      } else if (line.startsWith('-')) before.push(body);
      else if (line.startsWith('+')) after.push(body);
    }
  }
  return { before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` };
}
