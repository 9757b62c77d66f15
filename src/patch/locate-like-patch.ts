import { contextAround, oldSide, type HunkLine } from './hunk-lines.js';
import type { TextLine } from './text-lines.js';

/** GNU patch's default fuzz factor (`-F 2`). */
export const PATCH_FUZZ = 2;

/** Where GNU patch is in the file: hunks so far moved by `offset`; lines up to `frozen` are already written. */
export interface LocateState {
  offset: number;
  frozen: number;
}

export type LineMatcher = (fileLine: TextLine, patchLine: HunkLine) => boolean;

/** Byte equality, newline included, as `patch` compares lines. */
export const sameBytes: LineMatcher = (file, patch) => file.text === patch.text && (file.eol === '') === patch.noNewline;

export interface Located {
  /** 1-based line of the hunk's first old line. */
  where: number;
  fuzz: number;
  /** Lines away from where the header (plus the offset of earlier hunks) said. */
  offset: number;
}

/**
 * GNU patch's search (patch.c, locate_hunk): from the header's line plus the offset earlier
 * hunks needed, outwards (+1, -1, +2, -2…) over the whole file but never before lines already
 * written; at fuzz F the first and last F context lines are not compared (fewer when the hunk
 * has less context on that side, and a hunk with less leading context must then sit at the
 * start of the file, one with less trailing context at its end). Fuzz grows from 0 to
 * min(2, the hunk's context).
 */
export function locateLikePatch(file: readonly TextLine[], firstLine: number, lines: readonly HunkLine[], state: LocateState, same: LineMatcher): Located | undefined {
  const { prefix, suffix } = contextAround(lines);
  const context = Math.max(prefix, suffix);
  const limit = Math.min(PATCH_FUZZ, context);
  for (let fuzz = 0; fuzz <= limit; fuzz++) {
    const where = locateAtFuzz(file, firstLine, lines, state, same, fuzz);
    if (where !== undefined) return { where, fuzz, offset: where - firstLine - state.offset };
  }
  return undefined;
}

/** One fuzz level of the search; `firstLine` is the header's old start (the line after, for an empty old side). */
export function locateAtFuzz(file: readonly TextLine[], firstLine: number, lines: readonly HunkLine[], state: LocateState, same: LineMatcher, fuzz: number): number | undefined {
  const pattern = oldSide(lines);
  const { prefix, suffix } = contextAround(lines);
  const context = Math.max(prefix, suffix);
  const inputLines = file.length;
  const firstGuess = firstLine + state.offset;
  const patLines = pattern.length;
  let prefixFuzz = fuzz + prefix - context;
  const suffixFuzz = fuzz + suffix - context;
  const maxWhere = inputLines - (patLines - suffixFuzz) + 1;
  const minWhere = state.frozen + 1;
  const maxPos = maxWhere - firstGuess;
  let maxNeg = firstGuess - minWhere;
  const maxOffset = Math.max(maxPos, maxNeg);
  if (patLines === 0) return firstGuess;
  if (firstGuess <= maxNeg) maxNeg = firstGuess - 1;

  const matches = (where: number, skipStart: number, skipEnd: number): boolean => {
    for (let p = 1 + skipStart; p <= patLines - skipEnd; p++) {
      const line = file[where + p - 2];
      if (!line || !same(line, pattern[p - 1]!)) return false;
    }
    return true;
  };

  if (prefixFuzz < 0 && firstLine <= 1) {
    // Less leading context than trailing: it can only match at the start of the file.
    if (suffixFuzz < 0 && (patLines !== inputLines || prefix < state.frozen)) return undefined;
    const offset = 1 - firstGuess;
    return state.frozen <= prefix && offset <= maxPos && matches(1, 0, Math.max(0, suffixFuzz)) ? 1 : undefined;
  }
  if (prefixFuzz < 0) prefixFuzz = 0;
  if (suffixFuzz < 0) {
    // Less trailing context than leading: it can only match at the end of the file.
    const offset = firstGuess - (inputLines - patLines + 1);
    return offset <= maxNeg && matches(firstGuess - offset, prefixFuzz, 0) ? firstGuess - offset : undefined;
  }
  const minOffset = maxPos < 0 ? firstGuess - maxWhere : maxNeg < 0 ? firstGuess - minWhere : 0;
  for (let offset = minOffset; offset <= maxOffset; offset++) {
    if (offset <= maxPos && matches(firstGuess + offset, prefixFuzz, suffixFuzz)) return firstGuess + offset;
    if (offset <= maxNeg && matches(firstGuess - offset, prefixFuzz, suffixFuzz)) return firstGuess - offset;
  }
  return undefined;
}

/** The last input line a hunk placed at `where` has consumed: later hunks are searched after it. */
export function frozenAfter(where: number, lines: readonly HunkLine[]): number {
  let old = 0;
  let last = 0;
  for (const l of lines) {
    if (l.op === '-') last = ++old;
    else if (l.op === '+') last = Math.max(last, old);
    else old++;
  }
  return where - 1 + last;
}
