import { diffChars } from 'diff';
import { withoutCr, type TextLine } from './text-lines.js';

/**
 * A line as code alone: its trailing `#` comment cut off (quotes respected) and the
 * whitespace around it trimmed; undefined for a blank or comment-only line.
 */
export function codeKey(line: string): string | undefined {
  const code = withoutComment(withoutCr(line)).trim();
  return code === '' ? undefined : code;
}

function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (line.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = undefined;
      }
    } else if (c === '#') {
      return line.slice(0, i);
    } else if (c === '"' || c === "'") {
      quote = line.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    }
  }
  return line;
}

export interface CodeLine {
  /** 0-based line index in the file. */
  index: number;
  key: string;
}

/** The file's code lines, in order, each with its key. */
export function codeLinesOf(lines: readonly TextLine[]): CodeLine[] {
  const out: CodeLine[] = [];
  lines.forEach((line, index) => {
    const key = codeKey(line.text);
    if (key !== undefined) out.push({ index, key });
  });
  return out;
}

/** 0..1: how much of two statements is shared, character-wise (jsdiff's diff). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  let common = 0;
  for (const part of diffChars(a, b)) if (!part.added && !part.removed) common += part.value.length;
  return (2 * common) / (a.length + b.length);
}

/** The file's code lines most like `statement`, best first. */
export function closestStatements(statement: string, code: readonly CodeLine[], count: number): CodeLine[] {
  return code
    .map((line) => ({ line, score: similarity(statement, line.key) }))
    .filter((s) => s.score > 0.4)
    .sort((a, b) => b.score - a.score || a.line.index - b.line.index)
    .slice(0, count)
    .map((s) => s.line);
}
