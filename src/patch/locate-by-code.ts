import { codeKey, type CodeLine } from './code-lines.js';
import type { HunkLine } from './hunk-lines.js';

/** A hunk's old line matched to a file line. */
export interface CodeAnchor {
  /** Index in the hunk's lines. */
  hunkLine: number;
  /** 0-based index in the file. */
  fileLine: number;
}

export type CodeLocation =
  | { found: true; anchors: CodeAnchor[]; fuzz: number }
  | { found: false; why: 'no-code' | 'not-found' | 'ambiguous'; candidates: number[] };

/**
 * Finds a hunk by its code alone: its old side's code lines (comment-only and blank lines left
 * out, indentation and trailing comments ignored) as a run of consecutive code lines anywhere in
 * the file. Only a unique match counts. As with patch's fuzz, up to two context lines at either
 * end may be dropped, never a removed line. `taken` are file lines other hunks already changed.
 */
export function locateByCode(code: readonly CodeLine[], lines: readonly HunkLine[], taken: (fileLine: number) => boolean): CodeLocation {
  const wanted: { hunkLine: number; key: string; removed: boolean }[] = [];
  lines.forEach((line, hunkLine) => {
    if (line.op === '+') return;
    const key = codeKey(line.text);
    if (key !== undefined) wanted.push({ hunkLine, key, removed: line.op === '-' });
  });
  if (wanted.length === 0) return { found: false, why: 'no-code', candidates: [] };
  const leading = wanted.findIndex((w) => w.removed);
  let lastRemoved = -1;
  wanted.forEach((w, k) => {
    if (w.removed) lastRemoved = k;
  });
  const trailing = leading < 0 ? 0 : wanted.length - 1 - lastRemoved;
  let candidates: number[] = [];
  for (let fuzz = 0; fuzz <= 2; fuzz++) {
    const from = Math.min(fuzz, leading < 0 ? 0 : leading);
    const to = wanted.length - Math.min(fuzz, trailing);
    const run = wanted.slice(from, to);
    if (run.length === 0) break;
    const starts: number[] = [];
    for (let s = 0; s + run.length <= code.length; s++) {
      if (run.every((w, k) => code[s + k]!.key === w.key) && run.every((_, k) => !taken(code[s + k]!.index))) starts.push(s);
    }
    if (starts.length === 1) {
      const s = starts[0]!;
      return { found: true, fuzz, anchors: run.map((w, k) => ({ hunkLine: w.hunkLine, fileLine: code[s + k]!.index })) };
    }
    if (starts.length > 1) return { found: false, why: 'ambiguous', candidates: starts.map((s) => code[s]!.index) };
    candidates = [];
  }
  return { found: false, why: 'not-found', candidates };
}
