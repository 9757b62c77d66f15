import type { StructuredPatch } from 'diff';
import { InputError } from '../errors.js';
import { closestStatements, codeKey, codeLinesOf, type CodeLine } from './code-lines.js';
import { enclosingScope, headingCandidates, headingScope } from './enclosing-scope.js';
import { contextAround, firstChange, hunkLinesOf, oldSide, reversedLines, type HunkLine } from './hunk-lines.js';
import { locateByCode, type CodeAnchor } from './locate-by-code.js';
import { frozenAfter, locateAtFuzz, locateLikePatch, PATCH_FUZZ, sameBytes, type LineMatcher, type LocateState } from './locate-like-patch.js';
import type { FilePatch, HunkSource } from './parse-unified-diff.js';
import { indentWidth, joinTextLines, leadingWhitespace, splitTextLines, usesCrlf, withoutCr, type TextLine } from './text-lines.js';

/** How a hunk found its place. */
export type HunkPlacement =
  /** As `patch` would: exactly, at an offset, or with fuzz. */
  | 'patch'
  /** As `patch` would, but comparing lines without the whitespace at their ends (an editor stripped it). */
  | 'whitespace'
  /** By its code alone: comment-only and blank lines ignored, indentation-insensitive, anywhere in the file. */
  | 'code';

/** Something a build should say about how its patch was read or applied. */
export type PatchNote =
  | { kind: 'recounted'; hunk: number; line: number; header: string; declared: { oldLines: number; newLines: number }; counted: { oldLines: number; newLines: number } }
  | { kind: 'fuzz'; hunk: number; line: number; fuzz: number }
  | { kind: 'whitespace'; hunk: number; line: number }
  | { kind: 'code'; hunk: number; line: number; at: number }
  /** A hunk that lands above the hunk before it: GNU patch (the engine's patch path) refuses hunks out of order. */
  | { kind: 'misordered'; hunk: number; line: number };

export interface AppliedPatch {
  text: string;
  notes: PatchNote[];
}

/** A change to the file: replace `remove` lines from `start` (0-based) with `insert`. */
interface Splice {
  hunk: number;
  start: number;
  remove: number;
  insert: TextLine[];
}

interface HunkInput {
  index: number;
  firstLine: number;
  lines: HunkLine[];
  source: HunkSource | undefined;
}

/** The hunks whose header counts were wrong and were recounted. */
export function recountNotes(patch: FilePatch): PatchNote[] {
  return patch.hunks.flatMap((h, i) => (h.recounted ? [{ kind: 'recounted' as const, hunk: i + 1, line: h.line, header: h.header, declared: h.declared, counted: h.counted }] : []));
}

function hunkInputs(patch: FilePatch | StructuredPatch): HunkInput[] {
  const structured = 'structured' in patch ? patch.structured : patch;
  const sources = 'structured' in patch ? patch.hunks : [];
  return structured.hunks.map((h, index) => ({ index, firstLine: h.oldStart, lines: hunkLinesOf(h), source: sources[index] }));
}

/**
 * Applies the patch for building: each hunk as `patch` would (offset, fuzz 2), else ignoring
 * whitespace at line ends, else by its code alone when that finds exactly one place. Recounted
 * hunks and the lenient placements come back as notes; a hunk that fits nowhere is an error
 * saying why (its removed code is gone — with the closest statements the file has — or it is
 * ambiguous, or it looks applied already).
 */
export function applyFilePatch(reference: string, patch: FilePatch | StructuredPatch, patchFile: string, referenceLabel: string): AppliedPatch {
  const file = splitTextLines(reference);
  const crlf = usesCrlf(file);
  const hunks = hunkInputs(patch);
  const notes: PatchNote[] = 'structured' in patch ? recountNotes(patch) : [];
  // Only a hunk that does not apply as patch would needs the file's code lines.
  let codeLines: CodeLine[] | undefined;
  const code = () => (codeLines ??= codeLinesOf(file));
  const splices: Splice[] = [];
  const state: LocateState = { offset: 0, frozen: 0 };
  const newLine = (l: HunkLine, indent?: (text: string) => string): TextLine => {
    const text = indent ? indent(withoutCr(l.text)) : withoutCr(l.text);
    return { text: crlf ? `${text}\r` : text, eol: l.noNewline ? '' : '\n' };
  };
  const taken = (line: number) => splices.some((s) => line >= s.start && line < s.start + Math.max(s.remove, 1));

  const fileTexts = file.map((l) => l.text);
  for (const h of hunks) {
    const tiers: { placement: HunkPlacement; same: LineMatcher }[] = [
      { placement: 'patch', same: sameLine },
      { placement: 'whitespace', same: sameIgnoringLineEnds },
    ];
    let placed = false;
    /** A lenient placement refused because it lands in another def/class than the hunk's. */
    let elsewhere: (ScopeMismatch & { how: string }) | undefined;
    for (const { placement, same } of tiers) {
      const located = locateLikePatch(file, h.firstLine, h.lines, state, same);
      if (!located) continue;
      const fuzzed = located.fuzz > 0 && !allLinesMatch(file, located.where, h.lines, same);
      if (fuzzed) {
        const at = located.where - 1 + oldIndexOf(h.lines, changeAnchor(h.lines));
        const mismatch = scopeMismatch(fileTexts, h, at);
        if (mismatch) {
          elsewhere ??= { ...mismatch, how: `with fuzz ${located.fuzz}` };
          continue;
        }
      }
      const heading = headingMismatch(fileTexts, h, located.where - 1);
      if (heading) {
        elsewhere ??= { ...heading, how: located.where === h.firstLine ? 'at its line' : `at offset ${located.where - h.firstLine}` };
        continue;
      }
      const splice = spliceAt(file, located.where, h, (l) => newLine(l));
      if (overlaps(splice, splices)) continue;
      splices.push(splice);
      state.offset = located.where - h.firstLine;
      state.frozen = frozenAfter(located.where, h.lines);
      if (placement === 'whitespace') notes.push({ kind: 'whitespace', hunk: h.index + 1, line: h.source?.line ?? 0 });
      else if (fuzzed) notes.push({ kind: 'fuzz', hunk: h.index + 1, line: h.source?.line ?? 0, fuzz: located.fuzz });
      placed = true;
      break;
    }
    if (placed) continue;
    const byCode = locateByCode(code(), h.lines, taken);
    if (byCode.found) {
      const anchor = changeAnchor(h.lines);
      const near = [...byCode.anchors].reverse().find((a) => a.hunkLine <= anchor) ?? byCode.anchors[0]!;
      const mismatch = scopeMismatch(fileTexts, h, near.fileLine, oldIndexOf(h.lines, near.hunkLine)) ?? headingMismatch(fileTexts, h, byCode.anchors[0]!.fileLine - oldIndexOf(h.lines, byCode.anchors[0]!.hunkLine));
      if (!mismatch) {
        const splice = spliceByCode(file, h, byCode.anchors, newLine);
        splices.push(splice);
        state.offset = byCode.anchors[0]!.fileLine + 1 - h.firstLine;
        notes.push({ kind: 'code', hunk: h.index + 1, line: h.source?.line ?? 0, at: byCode.anchors[0]!.fileLine + 1 });
        continue;
      }
      elsewhere ??= { ...mismatch, how: 'by its code (comments ignored)' };
    }
    const missing = missingScope(fileTexts, h);
    const why = missing
      ? `${hunkLabel(h, hunks.length)} changes \`${missing}\`, but ${referenceLabel} has no \`${missing}\`: the patch header names the wrong file, or \`${missing}\` was renamed or moved`
      : elsewhere
        ? landsElsewhere(h, hunks.length, referenceLabel, elsewhere)
        : whyNot(h, hunks.length, file, code(), referenceLabel, byCode as Extract<typeof byCode, { found: false }>);
    throw new InputError('does-not-apply', patchFile, why, h.source?.line, missing);
  }
  const inOrder = [...splices].sort((a, b) => a.hunk - b.hunk);
  inOrder.forEach((s, k) => {
    if (k > 0 && s.start < inOrder[k - 1]!.start) notes.push({ kind: 'misordered', hunk: s.hunk + 1, line: hunks[s.hunk]?.source?.line ?? 0 });
  });
  return { text: applySplices(file, splices), notes };
}

/**
 * Applies the patch exactly as the engine's legacy path does — `patch <reference> <bug>.patch`,
 * GNU patch with its defaults: byte-exact lines, offsets anywhere after the hunks before, fuzz
 * up to 2, a first hunk that only fits reversed refused. Returns the patched text, and per hunk
 * its offset and the fuzz it needed because context lines differ; a hunk that does not apply is
 * an error naming it.
 */
export function applyLikeEngine(reference: string, patch: FilePatch, patchFile: string, referenceLabel: string): { text: string; fuzz: number[]; offsets: number[] } {
  let file = splitTextLines(reference);
  const hunks = hunkInputs(patch);
  const fuzz: number[] = [];
  const offsets: number[] = [];
  let pass: Splice[] = [];
  let state: LocateState = { offset: 0, frozen: 0 };
  const asWritten = (l: HunkLine): TextLine => ({ text: l.text, eol: l.noNewline ? '' : '\n' });
  for (const h of hunks) {
    if (h.source?.freshPass && h.index > 0) {
      // patch starts over on the output of the hunks before (it met garbage in between).
      file = splitTextLines(applySplices(file, pass));
      pass = [];
      state = { offset: 0, frozen: 0 };
    }
    let located: { where: number; fuzz: number } | undefined;
    const { prefix, suffix } = contextAround(h.lines);
    const limit = Math.min(PATCH_FUZZ, Math.max(prefix, suffix));
    for (let f = 0; f <= limit && !located; f++) {
      const where = locateAtFuzz(file, h.firstLine, h.lines, state, sameBytes, f);
      if (where !== undefined) located = { where, fuzz: f };
      else if (h.index === 0 && locateAtFuzz(file, h.firstLine, reversedLines(h.lines), state, sameBytes, f) !== undefined) {
        throw new InputError(
          'does-not-apply',
          patchFile,
          `${hunkLabel(h, hunks.length)} looks already applied to ${referenceLabel}: patch would ask "Reversed (or previously applied) patch detected! Assume -R?" and the student's harden stage would fail`,
          h.source?.line,
        );
      }
    }
    if (!located) {
      throw new InputError('does-not-apply', patchFile, `${hunkLabel(h, hunks.length)} does not apply to ${referenceLabel} the way the engine applies patches (GNU patch, fuzz 2): students would hit "Hunk #${h.index + 1} FAILED" at run time`, h.source?.line);
    }
    if (located.where <= state.frozen) {
      // patch writes its output as it goes: a hunk found before lines already written cannot be applied.
      throw new InputError(
        'does-not-apply',
        patchFile,
        `${hunkLabel(h, hunks.length)} lies before the hunk above it in ${referenceLabel} (hunks out of order): the engine's patch stops with "misordered hunks! output would be garbled" and students would hit "Hunk #${h.index + 1} FAILED"; \`bug-author refresh-patch\` puts them in order`,
        h.source?.line,
      );
    }
    pass.push(spliceAt(file, located.where, h, asWritten));
    // patch counts fuzz for a hunk with less context on one side too; only lines that differ matter here.
    fuzz.push(allLinesMatch(file, located.where, h.lines, sameBytes) ? 0 : located.fuzz);
    offsets.push(located.where - h.firstLine);
    state.offset = located.where - h.firstLine;
    state.frozen = frozenAfter(located.where, h.lines);
  }
  return { text: applySplices(file, pass), fuzz, offsets };
}

/**
 * Whether every old line matches at `where`: patch reports fuzz for a hunk with less context on
 * one side even when nothing differs; only context that really differs is worth a note.
 */
function allLinesMatch(file: readonly TextLine[], where: number, lines: readonly HunkLine[], same: LineMatcher): boolean {
  return oldSide(lines).every((l, k) => {
    const line = file[where - 1 + k];
    return line !== undefined && same(line, l);
  });
}

interface ScopeMismatch {
  /** The def/class the hunk names (a `def` line of its own, else its `@@ … def x` heading). */
  named: string;
  /** The def/class at the place found (undefined: module-level code). */
  actual: string | undefined;
  /** 0-based file line of the first change there. */
  line: number;
}

/**
 * Whether a hunk placed leniently lands in another def/class than the one it names: `at` is the
 * file line its first change lands on, `oldIndex` the first change's place among the hunk's old
 * lines. A hunk naming no def/class (no def line enclosing its change, no `def` heading) is not judged.
 */
function scopeMismatch(fileTexts: readonly string[], h: HunkInput, at: number, oldIndex = oldIndexOf(h.lines, changeAnchor(h.lines))): ScopeMismatch | undefined {
  const actual = enclosingScope(fileTexts, at);
  const own = enclosingScope(oldSide(h.lines).map((l) => l.text), oldIndex);
  if (own !== undefined) return own === actual ? undefined : { named: own, actual, line: at };
  const heading = headingScope(h.source?.header);
  // No def/class line lies between the hunk's start and its change, so the heading is one before the change.
  if (heading === undefined || heading === actual || headingCandidates(fileTexts, at).includes(heading)) return undefined;
  return { named: heading, actual, line: at };
}

/**
 * A hunk whose heading names a def/class the file still has, placed where that name is not the
 * def/class line a heading would show there (`start`: the 0-based file line its old side starts
 * on): another def or class than the one it was written in, a look-alike, even when its own lines
 * (a method's `def forward`) match there exactly.
 */
function headingMismatch(fileTexts: readonly string[], h: HunkInput, start: number): ScopeMismatch | undefined {
  const heading = headingScope(h.source?.header);
  if (heading === undefined || !definesName(fileTexts, heading)) return undefined;
  if (headingCandidates(fileTexts, start).includes(heading)) return undefined;
  // The hunk may start on the heading's own def line, or inside a def nested in it.
  const own = oldSide(h.lines).findIndex((l) => new RegExp(`^[ \\t]*(?:async[ \\t]+)?(?:def|class)[ \\t]+${heading}\\b`).test(withoutCr(l.text)));
  if (own >= 0) return undefined;
  const at = start + Math.max(0, oldIndexOf(h.lines, changeAnchor(h.lines)));
  const there = headingCandidates(fileTexts, start);
  return { named: heading, actual: there.at(-1) ?? enclosingScope(fileTexts, at), line: at };
}

/** The def/class a hunk names (its own `def` line before the change, else its heading) when the file defines no such name at all. */
function missingScope(fileTexts: readonly string[], h: HunkInput): string | undefined {
  const named = namedScope(h);
  return named === undefined || definesName(fileTexts, named) ? undefined : named;
}

/** The def/class a hunk says it changes: a `def`/`class` line of its own enclosing its first change, else its `@@ … def x` heading. */
export function namedScope(h: { lines: readonly HunkLine[]; source?: HunkSource | undefined }): string | undefined {
  const own = enclosingScope(oldSide(h.lines).map((l) => l.text), oldIndexOf(h.lines, changeAnchor(h.lines)));
  return own ?? headingScope(h.source?.header);
}

/** Whether some line of the file is `def <name>` or `class <name>`. */
export function definesName(fileTexts: readonly string[], name: string): boolean {
  const definition = new RegExp(`^[ \\t]*(?:async[ \\t]+)?(?:def|class)[ \\t]+${name}\\b`);
  return fileTexts.some((line) => definition.test(line));
}

/** Index in the hunk's lines of the old line its first change belongs to (the removed line, or the line an insertion follows). */
function changeAnchor(lines: readonly HunkLine[]): number {
  const change = lines.findIndex((l) => l.op !== ' ');
  if (change < 0 || lines[change]!.op === '-') return Math.max(change, 0);
  for (let k = change - 1; k >= 0; k--) if (lines[k]!.op !== '+') return k;
  const next = lines.findIndex((l) => l.op !== '+');
  return next < 0 ? 0 : next;
}

/** How many old lines come before hunk line `k`. */
function oldIndexOf(lines: readonly HunkLine[], k: number): number {
  return lines.slice(0, k).filter((l) => l.op !== '+').length;
}

function landsElsewhere(h: HunkInput, total: number, referenceLabel: string, m: ScopeMismatch & { how: string }): string {
  const there = m.actual === undefined ? 'module-level code' : `\`${m.actual}\``;
  return `${hunkLabel(h, total)} changes \`${m.named}\`, but placed ${m.how} it would land in ${there} at line ${m.line + 1} of ${referenceLabel}, a look-alike; it is not applied there. The bug has to be re-authored against the current \`${m.named}\``;
}

/** Lines equal apart from a CR and a missing final newline. */
const sameLine: LineMatcher = (file, patch) => withoutCr(file.text) === withoutCr(patch.text);
const sameIgnoringLineEnds: LineMatcher = (file, patch) => withoutCr(file.text).trimEnd() === withoutCr(patch.text).trimEnd();

function hunkLabel(h: HunkInput, total: number): string {
  const header = h.source?.header ?? `@@ -${h.firstLine} @@`;
  return `hunk ${h.index + 1} of ${total} (\`${header}\`${h.source ? ` at line ${h.source.line}` : ''}, first change \`${firstChange(h.lines).slice(0, 60)}\`)`;
}

/** The hunk applied with its first old line at `where` (1-based): context from the file, the rest from the hunk. */
function spliceAt(file: readonly TextLine[], where: number, h: HunkInput, make: (l: HunkLine) => TextLine): Splice {
  const out: TextLine[] = [];
  let at = where - 1;
  const start = at;
  for (const l of h.lines) {
    if (l.op === '+') out.push(make(l));
    else {
      if (l.op === ' ' && file[at]) out.push(file[at]!);
      at++;
    }
  }
  return trimSplice({ hunk: h.index, start, remove: Math.min(at, file.length) - start, insert: out }, file);
}

/**
 * The hunk applied where its code was found. Removed code lines go; removed comment or blank
 * lines go when the file still has them there; added lines come after the old line before
 * them (or before the next found line when a comment or blank line came first) and take the
 * file's indentation.
 */
function spliceByCode(file: readonly TextLine[], h: HunkInput, anchors: readonly CodeAnchor[], make: (l: HunkLine, indent?: (text: string) => string) => TextLine): Splice {
  const fileLineOf = new Map(anchors.map((a) => [a.hunkLine, a.fileLine]));
  const removed = new Set<number>();
  const before = new Map<number, TextLine[]>();
  const after = new Map<number, TextLine[]>();
  const push = (map: Map<number, TextLine[]>, at: number, line: TextLine) => map.set(at, [...(map.get(at) ?? []), line]);
  const anchorsInOrder = [...anchors].sort((a, b) => a.hunkLine - b.hunkLine);
  const indentFor = (hunkLine: number) => {
    const anchor = [...anchorsInOrder].reverse().find((a) => a.hunkLine < hunkLine) ?? anchorsInOrder.find((a) => a.hunkLine > hunkLine) ?? anchorsInOrder[0]!;
    const from = leadingWhitespace(withoutCr(h.lines[anchor.hunkLine]!.text));
    const to = leadingWhitespace(withoutCr(file[anchor.fileLine]!.text));
    return (text: string) => reindent(text, from, to);
  };
  let previous: number | undefined;
  let waiting: TextLine[] = [];
  h.lines.forEach((line, k) => {
    const fileLine = fileLineOf.get(k);
    if (line.op === '+') {
      const made = make(line, indentFor(k));
      if (previous !== undefined) push(after, previous, made);
      else waiting.push(made);
      return;
    }
    if (fileLine !== undefined) {
      for (const w of waiting) push(before, fileLine, w);
      waiting = [];
      if (line.op === '-') removed.add(fileLine);
      previous = fileLine;
      return;
    }
    previous = undefined;
    if (line.op === '-' && codeKey(line.text) === undefined) {
      // A removed comment or blank line: drop it if the file has it between the neighbouring anchors.
      const lower = [...anchorsInOrder].reverse().find((a) => a.hunkLine < k)?.fileLine ?? -1;
      const upper = anchorsInOrder.find((a) => a.hunkLine > k)?.fileLine ?? file.length;
      for (let i = lower + 1; i < upper; i++) {
        if (!removed.has(i) && withoutCr(file[i]!.text).trim() === withoutCr(line.text).trim()) {
          removed.add(i);
          break;
        }
      }
    }
  });
  const last = anchorsInOrder[anchorsInOrder.length - 1]!.fileLine;
  for (const w of waiting) push(after, last, w);
  const touched = [...removed, ...before.keys(), ...after.keys(), ...anchors.map((a) => a.fileLine)];
  const start = Math.min(...touched);
  const end = Math.max(...touched);
  const out: TextLine[] = [];
  for (let i = start; i <= end; i++) {
    out.push(...(before.get(i) ?? []));
    if (!removed.has(i)) out.push(file[i]!);
    out.push(...(after.get(i) ?? []));
  }
  return trimSplice({ hunk: h.index, start, remove: end - start + 1, insert: out }, file);
}

/** An added line moved from the hunk's indentation to the file's. */
function reindent(text: string, from: string, to: string): string {
  if (from === to) return text;
  const own = leadingWhitespace(text);
  if (own.startsWith(from)) return to + text.slice(from.length);
  const width = Math.max(0, indentWidth(own) + indentWidth(to) - indentWidth(from));
  return ' '.repeat(width) + text.slice(own.length);
}

/** Leaves out the lines a splice keeps unchanged at its ends, so neighbouring hunks may share context. */
function trimSplice(splice: Splice, file: readonly TextLine[]): Splice {
  let { start, remove } = splice;
  const insert = [...splice.insert];
  while (remove > 0 && insert.length > 0 && insert[0] === file[start]) {
    insert.shift();
    start++;
    remove--;
  }
  while (remove > 0 && insert.length > 0 && insert[insert.length - 1] === file[start + remove - 1]) {
    insert.pop();
    remove--;
  }
  return { hunk: splice.hunk, start, remove, insert };
}

function overlaps(splice: Splice, others: readonly Splice[]): boolean {
  return others.some((o) => splice.start < o.start + o.remove && o.start < splice.start + splice.remove);
}

function applySplices(file: readonly TextLine[], splices: readonly Splice[]): string {
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.hunk - b.hunk);
  const out: TextLine[] = [];
  let at = 0;
  for (const s of ordered) {
    out.push(...file.slice(at, s.start));
    out.push(...s.insert);
    at = s.start + s.remove;
  }
  out.push(...file.slice(at));
  return joinTextLines(out);
}

/** Why a hunk fits nowhere, in the words an author can act on. */
function whyNot(h: HunkInput, total: number, file: readonly TextLine[], code: readonly CodeLine[], referenceLabel: string, byCode: { why: string; candidates: number[] }): string {
  const label = hunkLabel(h, total);
  if (locateLikePatch(file, h.firstLine, reversedLines(h.lines), { offset: 0, frozen: 0 }, sameIgnoringLineEnds)) {
    return `${label} looks already applied: ${referenceLabel} already holds the patched code`;
  }
  if (byCode.why === 'no-code') {
    return `${label} does not apply to ${referenceLabel}, and its old lines hold no code to find it by (only comments or blank lines); refresh the patch against the current reference (\`bug-author refresh-patch\`)`;
  }
  if (byCode.why === 'ambiguous') {
    return `${label} does not apply to ${referenceLabel}, and its code occurs ${byCode.candidates.length} times (lines ${byCode.candidates.map((c) => c + 1).join(', ')}); add context lines so it names one place`;
  }
  const keys = new Set(code.map((c) => c.key));
  const gone = h.lines.filter((l) => l.op === '-' && codeKey(l.text) !== undefined && !keys.has(codeKey(l.text)!));
  if (gone.length > 0) {
    const missing = codeKey(gone[0]!.text)!;
    const closest = closestStatements(missing, code, 3);
    const near = closest.length ? `; the closest statements it does contain: ${closest.map((c) => `line ${c.index + 1} \`${c.key}\``).join(', ')}` : '';
    return `${label}: the code it removes, \`${missing}\`${gone.length > 1 ? ` (and ${gone.length - 1} more line${gone.length > 2 ? 's' : ''})` : ''}, no longer exists in ${referenceLabel}${near}`;
  }
  const contextGone = h.lines.filter((l) => l.op === ' ' && codeKey(l.text) !== undefined && !keys.has(codeKey(l.text)!));
  if (contextGone.length > 0) {
    const missing = codeKey(contextGone[0]!.text)!;
    const closest = closestStatements(missing, code, 2);
    return `${label} does not apply to ${referenceLabel}: its context line \`${missing}\` no longer exists there${closest.length ? ` (closest: ${closest.map((c) => `line ${c.index + 1} \`${c.key}\``).join(', ')})` : ''}; refresh the patch against the current reference (\`bug-author refresh-patch\`)`;
  }
  return `${label} does not apply to ${referenceLabel}: its lines exist but no longer in this order; refresh the patch against the current reference (\`bug-author refresh-patch\`)`;
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
