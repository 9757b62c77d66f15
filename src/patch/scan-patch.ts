/**
 * Reads a patch file the way GNU `patch` does — leading and trailing garbage, indented patches,
 * CRLF, `#` comment lines, blank context lines whose space an editor stripped, headerless
 * hunks, context and normal diffs — into sections of hunks as unified lines (jsdiff's
 * `parsePatch` tolerates none of that).
 *
 * Two ways to read a hunk's extent:
 * - `patch`: the header's counts decide, exactly as GNU patch (and so the engine's legacy path)
 *   reads them; a hunk that runs short is malformed; lines past the counts are ignored.
 * - `recount`: the lines decide, as `git apply --recount` does; wrong counts are corrected and
 *   reported.
 */

export type CountMode = 'patch' | 'recount';
export type DiffFormat = 'unified' | 'context' | 'normal';

export interface LineCounts {
  oldLines: number;
  newLines: number;
}

export interface ScannedHunk {
  /** 1-based line of the hunk header in the patch file. */
  line: number;
  /** The header as written (`@@ -3,7 +3,6 @@`, `*** 3,9 ****`, `3c3`). */
  header: string;
  /** As written: for an empty side, the line before (unified convention). */
  oldStart: number;
  newStart: number;
  declared: LineCounts;
  /** What the lines hold; differs from `declared` only when recounted. */
  counted: LineCounts;
  recounted: boolean;
  /** Unified body lines (`' '`, `'-'`, `'+'` or `'\'` first). */
  lines: string[];
  /**
   * GNU patch starts a new pass over the file here (garbage came before this hunk): it is
   * located afresh in the output of the hunks before it.
   */
  freshPass: boolean;
}

export interface ScannedSection {
  format: DiffFormat;
  oldName?: string;
  newName?: string;
  index?: string;
  /** 1-based line of its first `---`/`+++`/`***` header in the patch file, else of its first hunk: what comes before is description. */
  headerLine: number;
  /** The `---`/`+++` (or `***`) header lines ended in CR: GNU patch strips CRs from the whole section. */
  crlfHeaders: boolean;
  hunks: ScannedHunk[];
}

export interface ScannedPatch {
  sections: ScannedSection[];
  /** Things patch would say while reading (e.g. the last line has no newline). */
  notes: string[];
}

/** The patch cannot be read; `line` is 1-based in the patch file. */
export class PatchSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'PatchSyntaxError';
  }
}

const UNIFIED_HEADER = /^@@ -(\d+)(?:,(\d+))? ?\+(\d+)(?:,(\d+))? ?@/;
const CONTEXT_OLD_RANGE = /^\*\*\* (\d+)(?:,(\d+))?(?: \*\*\*\*)?\s*$/;
const CONTEXT_NEW_RANGE = /^--- (\d+)(?:,(\d+))?(?: ----)?\s*$/;
const NORMAL_COMMAND = /^(\d+)(?:,(\d+))?([acd])(\d+)(?:,(\d+))?\s*$/;
const ED_COMMAND = /^\d+(?:,\d+)?[acdis]\s*$/;

interface RawLine {
  /** Without the newline; a trailing CR is kept (callers decide). */
  text: string;
  /** 1-based. */
  number: number;
}

/** Reads every hunk of every file section in `text`. */
export function scanPatch(text: string, mode: CountMode): ScannedPatch {
  const notes: string[] = [];
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  else if (mode === 'patch' && all.length > 0) {
    // GNU patch drops an unterminated last line ("patch unexpectedly ends in middle of line").
    all.pop();
    notes.push('the patch file does not end with a newline, so patch ignores its last line');
  }
  const lines: RawLine[] = all.map((t, i) => ({ text: t, number: i + 1 }));
  const reader = new SectionReader(lines, mode);
  const sections = reader.read();
  if (sections.length === 0 && reader.sawEdCommand) {
    throw new PatchSyntaxError(reader.sawEdCommand, 'this is an ed script; bug-author reads unified, context and normal diffs (make one with `diff -u`)');
  }
  return { sections, notes };
}

/** Columns of leading blanks (tabs to the next multiple of 8; GNU also counts `X`), and the rest. */
function splitIndent(text: string): { indent: number; rest: string } {
  let indent = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === 'X') indent++;
    else if (c === '\t') indent = (indent + 8) & ~7;
    else break;
  }
  return { indent, rest: text.slice(i) };
}

/** Removes up to `indent` columns of leading blanks, as patch does for an indented patch. */
function stripIndent(text: string, indent: number): string {
  let column = 0;
  let i = 0;
  while (i < text.length && column < indent) {
    const c = text[i];
    if (c === ' ' || c === 'X') column++;
    else if (c === '\t') column = (column + 8) & ~7;
    else break;
    i++;
  }
  return text.slice(i);
}

function headerName(rest: string): string {
  return rest.slice(4).replace(/\r$/, '');
}

class SectionReader {
  private i = 0;
  private sections: ScannedSection[] = [];
  private pending: { oldName?: string; newName?: string; index?: string; headerLine?: number; crlf: boolean; seen: boolean } = { crlf: false, seen: false };
  private afterHunk = false;
  sawEdCommand = 0;

  constructor(
    private readonly lines: readonly RawLine[],
    private readonly mode: CountMode,
  ) {}

  read(): ScannedSection[] {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      const { indent, rest: rawRest } = splitIndent(line.text);
      const rest = rawRest.replace(/\r$/, '');
      if (rest.startsWith('#')) {
        this.i++;
        continue;
      }
      const next = this.lines[this.i + 1] ? splitIndent(this.lines[this.i + 1]!.text).rest : undefined;
      if (/^---[ \t]/.test(rest)) {
        // `---` then `+++` is a unified header, whatever came before it.
        this.header(next !== undefined && /^\+\+\+[ \t]/.test(next) ? 'old' : 'newName-or-old', headerName(rest), rawRest.endsWith('\r'), line.number);
      } else if (/^\+\+\+[ \t]/.test(rest)) {
        this.header('new', headerName(rest), rawRest.endsWith('\r'), line.number);
      } else if (/^\*\*\*[ \t]/.test(rest) && !/^\*\*\* \d/.test(rest) && this.startsContextHeader()) {
        this.header('context-old', headerName(rest), rawRest.endsWith('\r'), line.number);
      } else if (rest.startsWith('Index:')) {
        this.pending.index = rest.slice(6).trim();
        this.pending.seen = true;
      } else if (rest.startsWith('diff ')) {
        this.pending = { crlf: rawRest.endsWith('\r'), seen: true };
      } else if (UNIFIED_HEADER.test(rest)) {
        this.unifiedHunk(indent);
        continue;
      } else if (/^\*{8,}$/.test(rest) && next !== undefined && CONTEXT_OLD_RANGE.test(next.replace(/\r$/, ''))) {
        this.i++;
        this.contextHunk(indent);
        continue;
      } else if (NORMAL_COMMAND.test(rest) && next !== undefined && /^[<>] /.test(next)) {
        this.normalHunk(indent);
        continue;
      } else if (looksLikeHunkHeader(rest, this.body(indent, true, this.i + 1))) {
        throw new PatchSyntaxError(line.number, unreadableHunkHeader(rest, line.number));
      } else if (ED_COMMAND.test(rest) && !this.sawEdCommand) {
        this.sawEdCommand = line.number;
      }
      this.afterHunk = false;
      this.i++;
    }
    return this.sections;
  }

  /**
   * `---` is the old name in a unified diff but the new name in a context diff (after `***`);
   * `+++` is always the new name.
   */
  private header(kind: 'old' | 'newName-or-old' | 'new' | 'context-old', name: string, crlf: boolean, line: number): void {
    if (!this.pending.seen) this.pending = { crlf: false, seen: true };
    this.pending.headerLine ??= line;
    if (kind === 'context-old' || kind === 'old') this.pending.oldName = name;
    else if (kind === 'new' || this.lastHeaderWasContextOld) this.pending.newName = name;
    else this.pending.oldName = name;
    this.lastHeaderWasContextOld = kind === 'context-old';
    this.pending.crlf ||= crlf;
    this.afterHunk = false;
  }

  private lastHeaderWasContextOld = false;

  /**
   * A `*** name` line is a context diff's old-name header only when `--- name` and the
   * `***************` of a hunk follow it; otherwise it is text (a description line).
   */
  private startsContextHeader(): boolean {
    const after = (k: number) => {
      const line = this.lines[this.i + k];
      return line ? splitIndent(line.text).rest.replace(/\r$/, '') : undefined;
    };
    return /^---[ \t]/.test(after(1) ?? '') && /^\*{8,}$/.test(after(2) ?? '');
  }

  /** The section a new hunk belongs to: a fresh one after new headers, else the current one. */
  private sectionFor(format: DiffFormat, hunkLine: number): { section: ScannedSection; freshPass: boolean } {
    const current = this.sections[this.sections.length - 1];
    if (this.pending.seen || !current) {
      const { oldName, newName, index, headerLine, crlf } = this.pending;
      const section: ScannedSection = {
        format,
        ...(oldName !== undefined ? { oldName } : {}),
        ...(newName !== undefined ? { newName } : {}),
        ...(index !== undefined ? { index } : {}),
        headerLine: headerLine ?? hunkLine,
        crlfHeaders: crlf,
        hunks: [],
      };
      this.sections.push(section);
      this.pending = { crlf: false, seen: false };
      return { section, freshPass: true };
    }
    return { section: current, freshPass: !this.afterHunk };
  }

  private body(indent: number, crlf: boolean, at: number): string | undefined {
    const line = this.lines[at];
    if (!line) return undefined;
    let text = stripIndent(line.text, indent);
    if (crlf || this.mode === 'recount') text = text.replace(/\r$/, '');
    return text;
  }

  private unifiedHunk(indent: number): void {
    const headerLine = this.lines[this.i]!;
    const header = splitIndent(headerLine.text).rest.replace(/\r$/, '');
    const m = UNIFIED_HEADER.exec(header)!;
    const declared = { oldLines: m[2] === undefined ? 1 : Number(m[2]), newLines: m[4] === undefined ? 1 : Number(m[4]) };
    const { section, freshPass } = this.sectionFor('unified', this.lines[this.i]!.number);
    const crlf = section.crlfHeaders;
    this.i++;
    const start = this.i;
    const exact = this.readByCounts(indent, crlf, declared, this.mode === 'patch');
    let lines: string[];
    let counted = declared;
    if (exact.ok && (this.mode === 'patch' || !this.looksLikeMoreHunk(indent, crlf, exact.end))) {
      lines = exact.lines;
      this.i = exact.end;
    } else if (this.mode === 'patch') {
      const actual = this.readByLines(indent, crlf, start, declared);
      const failure = exact as { ok: false; line: number; reason: string };
      const countsWrong = actual.counted.oldLines !== declared.oldLines || actual.counted.newLines !== declared.newLines;
      throw new PatchSyntaxError(
        failure.line,
        countsWrong
          ? `${describeHunk(header, headerLine.number)} is malformed: its header promises ${declared.oldLines} old and ${declared.newLines} new lines, but it has ${actual.counted.oldLines} old and ${actual.counted.newLines} new lines (patch stops here: "${failure.reason}")`
          : `${describeHunk(header, headerLine.number)} is malformed: ${failure.reason}`,
      );
    } else {
      const actual = this.readByLines(indent, crlf, start, declared);
      lines = actual.lines;
      counted = actual.counted;
      this.i = actual.end;
      if (lines.every((l) => l.startsWith(' ') || l.startsWith('\\'))) {
        throw new PatchSyntaxError(headerLine.number, `${describeHunk(header, headerLine.number)} changes nothing (it has no - or + lines)`);
      }
    }
    const recounted = counted.oldLines !== declared.oldLines || counted.newLines !== declared.newLines;
    section.hunks.push({ line: headerLine.number, header, oldStart: Number(m[1]), newStart: Number(m[3]), declared, counted, recounted, lines, freshPass });
    this.afterHunk = true;
  }

  /**
   * GNU patch's reading: exactly `declared` lines. A blank line or one starting with a tab is a
   * context line whose leading space was eaten; `#` lines are comments; at the end of the file
   * up to 3 missing lines are taken as chopped blank context lines (only when `padAtEnd`).
   */
  private readByCounts(
    indent: number,
    crlf: boolean,
    declared: LineCounts,
    padAtEnd: boolean,
  ): { ok: true; lines: string[]; end: number } | { ok: false; line: number; reason: string } {
    const lines: string[] = [];
    let old = 0;
    let added = 0;
    let at = this.i;
    let sawChange = false;
    while (old < declared.oldLines || added < declared.newLines) {
      let text = this.body(indent, crlf, at);
      const number = this.lines[at]?.number ?? (this.lines[this.lines.length - 1]?.number ?? 0) + 1;
      if (text === undefined) {
        if (!padAtEnd || declared.newLines - added > 3) return { ok: false, line: number, reason: 'unexpected end of file in patch' };
        text = ' ';
      } else {
        at++;
        if (text.startsWith('#')) continue;
      }
      const ch = text === '' || text.startsWith('\t') ? ' ' : text[0] === '=' ? ' ' : text[0]!;
      const content = text === '' || text.startsWith('\t') ? text : text.slice(1);
      if (ch === '-') {
        if (old >= declared.oldLines) return { ok: false, line: number, reason: `malformed patch at line ${number}: ${text}` };
        old++;
      } else if (ch === ' ') {
        if (old >= declared.oldLines || added >= declared.newLines) return { ok: false, line: number, reason: `malformed patch at line ${number}: ${text}` };
        old++;
        added++;
      } else if (ch === '+') {
        if (added >= declared.newLines) return { ok: false, line: number, reason: `malformed patch at line ${number}: ${text}` };
        added++;
      } else {
        return { ok: false, line: number, reason: `malformed patch at line ${number}: ${text}` };
      }
      if (ch !== ' ') sawChange = true;
      lines.push(`${ch}${content}`);
      const next = this.body(indent, crlf, at);
      const lastOfASide = (ch !== '+' && old === declared.oldLines) || (ch !== '-' && added === declared.newLines);
      if (lastOfASide && next !== undefined && next.startsWith('\\')) {
        lines.push('\\ No newline at end of file');
        at++;
      }
    }
    if (!sawChange) return { ok: false, line: this.lines[at - 1]?.number ?? 0, reason: 'the hunk has no - or + lines' };
    return { ok: true, lines, end: at };
  }

  /** After a hunk read by its counts: does a hunk line follow (so the counts were too small)? */
  private looksLikeMoreHunk(indent: number, crlf: boolean, at: number): boolean {
    const text = this.body(indent, crlf, at);
    if (text === undefined || this.isBoundary(text, at, indent, crlf)) return false;
    if (text === '') {
      // A blank line: more hunk only if hunk lines follow it.
      const after = this.body(indent, crlf, at + 1);
      return after !== undefined && /^[-+ ]/.test(after) && !this.isBoundary(after, at + 1, indent, crlf);
    }
    return /^[-+ \t\\]/.test(text);
  }

  private isBoundary(text: string, at: number, indent: number, crlf: boolean): boolean {
    if (/^@@[ \t]/.test(text) || text.startsWith('diff ') || text.startsWith('Index:') || /^\*{8,}$/.test(text)) return true;
    const next = this.body(indent, crlf, at + 1);
    if (/^--- /.test(text) && next !== undefined && /^\+\+\+[ \t]/.test(next)) return true;
    // git format-patch's signature: "-- " then the git version.
    if ((text === '-- ' || text === '--') && (next === undefined || /^\d+(\.\d+)+/.test(next))) return true;
    return false;
  }

  /** `git apply --recount`: the hunk is every hunk line up to the next header or non-hunk line. */
  private readByLines(indent: number, crlf: boolean, start: number, declared: LineCounts): { lines: string[]; counted: LineCounts; end: number } {
    const lines: string[] = [];
    /** Where each collected line ends in the patch (index after it), and whether it was an empty line. */
    const ends: number[] = [];
    const empty: boolean[] = [];
    let at = start;
    for (;;) {
      const text = this.body(indent, crlf, at);
      if (text === undefined || this.isBoundary(text, at, indent, crlf)) break;
      at++;
      if (text.startsWith('#')) continue;
      if (text === '' || text.startsWith('\t')) lines.push(` ${text}`);
      else if (text.startsWith('\\')) lines.push('\\ No newline at end of file');
      else if (/^[-+ ]/.test(text)) lines.push(text);
      else {
        at--;
        break;
      }
      ends.push(at);
      empty.push(text === '');
    }
    // Trailing blank lines belong to the hunk only as far as its header asks for them.
    let blanks = 0;
    while (empty[lines.length - 1 - blanks] === true) blanks++;
    const counted = countLines(lines.slice(0, lines.length - blanks));
    const missing = declared.oldLines - counted.oldLines;
    const keep = missing > 0 && missing === declared.newLines - counted.newLines && missing <= blanks ? missing : 0;
    const kept = lines.length - blanks + keep;
    return { lines: lines.slice(0, kept), counted: countLines(lines.slice(0, kept)), end: kept > 0 ? ends[kept - 1]! : start };
  }

  /** A context diff hunk (`*** a,b ****` … `--- c,d ----` …), turned into unified lines. */
  private contextHunk(indent: number): void {
    const { section, freshPass } = this.sectionFor('context', this.lines[this.i - 1]!.number);
    section.format = 'context';
    const crlf = section.crlfHeaders || this.mode === 'recount';
    const oldHeaderLine = this.lines[this.i]!;
    const oldHeader = stripIndent(oldHeaderLine.text, indent).replace(/\r$/, '');
    const om = CONTEXT_OLD_RANGE.exec(oldHeader)!;
    this.i++;
    const oldBody: string[] = [];
    while (this.i < this.lines.length) {
      const text = this.body(indent, crlf, this.i)!;
      if (CONTEXT_NEW_RANGE.test(text)) break;
      if (text.startsWith('#')) {
        this.i++;
        continue;
      }
      if (text.startsWith('\\')) oldBody.push('\\');
      else if (/^[ !+-][ \t]/.test(text) || text === '' || /^[ !+-]$/.test(text)) oldBody.push(text === '' ? '  ' : text);
      else throw new PatchSyntaxError(this.lines[this.i]!.number, `context diff hunk at line ${oldHeaderLine.number}: unexpected line in the old part: ${text}`);
      this.i++;
    }
    const newHeaderText = this.body(indent, crlf, this.i);
    if (newHeaderText === undefined) throw new PatchSyntaxError(oldHeaderLine.number, `context diff hunk at line ${oldHeaderLine.number} has no \`--- a,b ----\` part`);
    const nm = CONTEXT_NEW_RANGE.exec(newHeaderText)!;
    this.i++;
    const newBody: string[] = [];
    while (this.i < this.lines.length) {
      const text = this.body(indent, crlf, this.i)!;
      if (text.startsWith('#')) {
        this.i++;
        continue;
      }
      if (text.startsWith('\\')) newBody.push('\\');
      else if (/^[ !+-][ \t]/.test(text) || /^[ !+-]$/.test(text)) newBody.push(text);
      else if (text === '' && this.i + 1 < this.lines.length && /^[ !+-][ \t]/.test(this.body(indent, crlf, this.i + 1) ?? '')) newBody.push('  ');
      else break;
      this.i++;
    }
    const range = (m: RegExpExecArray) => {
      const first = Number(m[1]);
      const last = m[2] === undefined ? first : Number(m[2]);
      return { first, count: first === 0 && m[2] === undefined ? 0 : last - first + 1 };
    };
    const oldRange = range(om);
    const newRange = range(nm);
    const lines = mergeContextSides(oldBody, newBody, oldHeaderLine.number);
    const counted = countLines(lines);
    section.hunks.push({
      line: oldHeaderLine.number,
      header: oldHeader,
      oldStart: oldRange.first,
      newStart: newRange.first,
      declared: { oldLines: oldRange.count, newLines: newRange.count },
      counted,
      recounted: false,
      lines,
      freshPass,
    });
    this.afterHunk = true;
  }

  /** A normal diff hunk (`3c3` / `< old` / `---` / `> new`): no context at all. */
  private normalHunk(indent: number): void {
    const { section, freshPass } = this.sectionFor('normal', this.lines[this.i]!.number);
    section.format = 'normal';
    const crlf = section.crlfHeaders || this.mode === 'recount';
    const headerLine = this.lines[this.i]!;
    const header = this.body(indent, crlf, this.i)!;
    const m = NORMAL_COMMAND.exec(header)!;
    this.i++;
    const lines: string[] = [];
    for (;;) {
      const text = this.body(indent, crlf, this.i);
      if (text === undefined) break;
      if (text.startsWith('< ')) lines.push(`-${text.slice(2)}`);
      else if (text.startsWith('> ')) lines.push(`+${text.slice(2)}`);
      else if (text === '---') {
        /* separator between the two sides */
      } else if (text.startsWith('\\')) lines.push('\\ No newline at end of file');
      else break;
      this.i++;
    }
    const [, a, b, kind, c, d] = m;
    const oldFirst = Number(a);
    const oldLast = b === undefined ? oldFirst : Number(b);
    const newFirst = Number(c);
    const newLast = d === undefined ? newFirst : Number(d);
    const counted = countLines(lines);
    const declared = { oldLines: kind === 'a' ? 0 : oldLast - oldFirst + 1, newLines: kind === 'd' ? 0 : newLast - newFirst + 1 };
    if (counted.oldLines !== declared.oldLines || counted.newLines !== declared.newLines) {
      throw new PatchSyntaxError(headerLine.number, `normal diff command \`${header}\` at line ${headerLine.number} promises ${declared.oldLines} old and ${declared.newLines} new lines but has ${counted.oldLines} and ${counted.newLines}`);
    }
    section.hunks.push({
      line: headerLine.number,
      header,
      // Unified convention, as normal diffs have it too: an empty side names the line before it.
      oldStart: oldFirst,
      newStart: newFirst,
      declared,
      counted,
      recounted: false,
      lines,
      freshPass,
    });
    this.afterHunk = true;
  }
}

/** The two parts of a context-diff hunk as one unified sequence. */
function mergeContextSides(oldBody: string[], newBody: string[], line: number): string[] {
  const body = (l: string) => l.slice(2);
  const out: string[] = [];
  const oldHasChanges = oldBody.some((l) => l[0] === '-' || l[0] === '!');
  const newHasChanges = newBody.some((l) => l[0] === '+' || l[0] === '!');
  // A part that holds only context is left out of a context diff: rebuild it from the other.
  if (oldBody.length === 0 && newHasChanges) oldBody = newBody.filter((l) => l[0] === ' ').concat();
  if (newBody.length === 0 && oldHasChanges) newBody = oldBody.filter((l) => l[0] === ' ');
  if (oldBody.length === 0 && !newHasChanges) oldBody = [];
  const pushNoNewline = (side: string[], at: number) => {
    if (side[at + 1] === '\\') out.push('\\ No newline at end of file');
  };
  let i = 0;
  let j = 0;
  while (i < oldBody.length || j < newBody.length) {
    const o = oldBody[i];
    const n = newBody[j];
    if (o === '\\') {
      i++;
      continue;
    }
    if (n === '\\') {
      j++;
      continue;
    }
    if (o !== undefined && o[0] === '-') {
      out.push(`-${body(o)}`);
      pushNoNewline(oldBody, i);
      i++;
    } else if (n !== undefined && n[0] === '+') {
      out.push(`+${body(n)}`);
      pushNoNewline(newBody, j);
      j++;
    } else if (o !== undefined && o[0] === '!') {
      while (oldBody[i]?.[0] === '!') {
        out.push(`-${body(oldBody[i]!)}`);
        pushNoNewline(oldBody, i);
        i++;
      }
      while (newBody[j]?.[0] === '!') {
        out.push(`+${body(newBody[j]!)}`);
        pushNoNewline(newBody, j);
        j++;
      }
    } else if (o !== undefined && n !== undefined && o[0] === ' ' && n[0] === ' ') {
      out.push(` ${body(o)}`);
      i++;
      j++;
    } else if (o !== undefined && o[0] === ' ' && n === undefined) {
      out.push(` ${body(o)}`);
      i++;
    } else if (n !== undefined && n[0] === '!' && (o === undefined || o[0] === ' ')) {
      while (newBody[j]?.[0] === '!') {
        out.push(`+${body(newBody[j]!)}`);
        j++;
      }
    } else {
      throw new PatchSyntaxError(line, `context diff hunk at line ${line}: its old and new parts do not line up`);
    }
  }
  return out;
}

export function countLines(lines: readonly string[]): LineCounts {
  let oldLines = 0;
  let newLines = 0;
  for (const l of lines) {
    if (l[0] === ' ') {
      oldLines++;
      newLines++;
    } else if (l[0] === '-') oldLines++;
    else if (l[0] === '+') newLines++;
  }
  return { oldLines, newLines };
}

/**
 * A line meant as a hunk header that is none GNU patch reads (`@@ -67,x +67,y @@`, `@@ 67,9 67,9 @@`,
 * `@ -67,9 +67,9 @@`, `@@ -67,9 +67,9` …), with hunk lines after it. GNU patch refuses such a
 * patch ("missing line number") or, worse, takes the header and its hunk for trailing garbage and
 * applies the hunks before it alone; either way the author's edit would be lost in part.
 */
function looksLikeHunkHeader(rest: string, next: string | undefined): boolean {
  if (!rest.startsWith('@')) return false;
  if (!rest.startsWith('@@') && !/\d/.test(rest)) return false;
  const body = next?.replace(/\r$/, '');
  return body !== undefined && /^[-+ \t]/.test(body) && !/^(---|\+\+\+)[ \t]/.test(body);
}

function unreadableHunkHeader(header: string, line: number): string {
  const shown = header.length > 40 ? `${header.slice(0, 40)}…` : header;
  return `the hunk header \`${shown}\` at line ${line} cannot be read: GNU patch refuses it ("missing line number") or skips the hunk as trailing garbage, so the whole patch is refused rather than used without that hunk; write it as \`@@ -<start>,<count> +<start>,<count> @@\``;
}

export function describeHunk(header: string, line: number): string {
  return `the hunk \`${header.length > 40 ? `${header.slice(0, 40)}…` : header}\` at line ${line}`;
}
