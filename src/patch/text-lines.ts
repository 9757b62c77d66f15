/** A file as lines: `text` without its newline (a CR of a CRLF file stays in it), `eol` `'\n'` or `''` for an unterminated last line. */
export interface TextLine {
  text: string;
  eol: '\n' | '';
}

export function splitTextLines(text: string): TextLine[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines: TextLine[] = parts.map((t) => ({ text: t, eol: '\n' }));
  if (last !== '') lines.push({ text: last, eol: '' });
  return lines;
}

export function joinTextLines(lines: readonly TextLine[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // A line that gained a successor needs its newline back.
    out += line.text + (line.eol === '' && i < lines.length - 1 ? '\n' : line.eol);
  }
  return out;
}

/** Whether most lines end in CRLF: inserted lines then get a CR too. */
export function usesCrlf(lines: readonly TextLine[]): boolean {
  let crlf = 0;
  for (const l of lines) if (l.text.endsWith('\r')) crlf++;
  return crlf > lines.length / 2;
}

export function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

export function leadingWhitespace(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/** Columns of leading whitespace, tabs to the next multiple of 8. */
export function indentWidth(indent: string): number {
  let width = 0;
  for (const c of indent) width = c === '\t' ? (width + 8) & ~7 : width + 1;
  return width;
}
