import type { StructuredPatch } from 'diff';

export interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
  /** Followed by "\ No newline at end of file". */
  noNewline: boolean;
}

/** A jsdiff hunk as typed lines, the "\ No newline" markers folded into the line before them. */
export function hunkLinesOf(hunk: StructuredPatch['hunks'][number]): HunkLine[] {
  const out: HunkLine[] = [];
  for (const line of hunk.lines) {
    if (line.startsWith('\\')) {
      if (out.length) out[out.length - 1]!.noNewline = true;
      continue;
    }
    const op = line[0] === '-' || line[0] === '+' ? line[0] : ' ';
    out.push({ op, text: line.slice(1), noNewline: false });
  }
  return out;
}

/** The old side: context and removed lines, in order. */
export function oldSide(lines: readonly HunkLine[]): HunkLine[] {
  return lines.filter((l) => l.op !== '+');
}

/** Context lines before the first change and after the last one. */
export function contextAround(lines: readonly HunkLine[]): { prefix: number; suffix: number } {
  const first = lines.findIndex((l) => l.op !== ' ');
  if (first < 0) return { prefix: lines.length, suffix: lines.length };
  let last = lines.length - 1;
  while (lines[last]!.op === ' ') last--;
  return { prefix: first, suffix: lines.length - 1 - last };
}

/** The hunk with its sides exchanged (what `patch -R` would apply). */
export function reversedLines(lines: readonly HunkLine[]): HunkLine[] {
  return lines.map((l) => ({ ...l, op: l.op === '-' ? '+' : l.op === '+' ? '-' : ' ' }));
}

export function firstChange(lines: readonly HunkLine[]): string {
  const change = lines.find((l) => l.op !== ' ');
  return change ? `${change.op}${change.text}` : '';
}
