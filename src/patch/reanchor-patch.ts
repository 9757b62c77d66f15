import { namedScope } from './apply-file-patch.js';
import { headingScope } from './enclosing-scope.js';
import { hunkLinesOf, type HunkLine } from './hunk-lines.js';
import type { FilePatch } from './parse-unified-diff.js';
import { comparable, tokenizeLines, type Token, type TokenLine } from './python-tokens.js';
import { joinTextLines, leadingWhitespace, splitTextLines, usesCrlf, withoutCr, type TextLine } from './text-lines.js';

/** A `def` or `class` of the reference (1-based, inclusive line range), with the names a function binds. */
export interface ReferenceScope {
  name: string;
  start: number;
  end: number;
  /** Parameters and local variables of a function; undefined for a class. */
  names?: ReadonlySet<string>;
}

/** Today's reference as re-anchoring reads it: its scopes, and the names its module binds (with the builtins). */
export interface ReferenceLayout {
  scopes: readonly ReferenceScope[];
  /** Names bound at module level and the builtins: a name the old code read that today's module still binds was never a local, so it cannot have been renamed. */
  shared: ReadonlySet<string>;
}

/** How far from verbatim the removed code was found: formatting only, or also with locals renamed. */
export type ReanchorTier = 'formatting' | 'renaming';

export type ReanchorResult =
  | {
      ok: true;
      /** The reference with the same edit made where its code is today. */
      text: string;
      tier: ReanchorTier;
      /** Old local name → today's, for the names that changed. */
      renamed: Record<string, string>;
      /** The functions (or classes) the edit lands in, in file order. */
      functions: string[];
      /** One line per hunk: where it was found and how. */
      notes: string[];
    }
  | { ok: false; reason: string };

interface Block {
  /** Hunk line indices. */
  removed: number[];
  added: number[];
  /** Old-side hunk line indices of the context before it (since the block before) and after it (until the next). */
  before: number[];
  after: number[];
}

interface Edit {
  /** 0-based file lines [start, end) replaced by `insert`. */
  start: number;
  end: number;
  insert: string[];
  hunk: number;
}

interface Match {
  start: number;
  /** Exclusive. */
  end: number;
  renames: Map<string, string>;
  score: number;
}

/**
 * Finds each hunk's removed code in today's reference, in the function the hunk names (else
 * anywhere in the file), up to formatting — tokens, string quotes, a trailing comma, comments,
 * context lines that are docstrings or comments — and then up to a consistent renaming of that
 * function's parameters and locals; makes the same edit there, its new lines renamed the same
 * way. Code found in more than one place is ambiguous and never guessed.
 */
export function reanchorPatch(reference: string, patch: FilePatch, layout: ReferenceLayout): ReanchorResult {
  const { scopes, shared } = layout;
  const file = splitTextLines(reference);
  const crlf = usesCrlf(file);
  const fileTexts = file.map((l) => withoutCr(l.text));
  const fileTokens = tokenizeLines(fileTexts);
  const edits: Edit[] = [];
  const notes: string[] = [];
  /** Per function (its start line): old name → today's name. */
  const renamesByScope = new Map<number, Map<string, string>>();
  let tier: ReanchorTier = 'formatting';

  for (const [index, hunk] of patch.structured.hunks.entries()) {
    const label = `hunk ${index + 1}`;
    const lines = unchangedPairsAsContext(hunkLinesOf(hunk));
    const named = namedScope({ lines, source: patch.hunks[index] });
    const ranges = namedRanges(named, headingScope(patch.hunks[index]?.header), scopes, file.length);
    const where = ranges.named ? `\`${ranges.within ? `${ranges.within}.` : ''}${named}\`` : named ? `the file (it has no \`${named}\`)` : 'the file';
    const tokens = oldSideTokens(lines);
    const blocks = blocksOf(lines);
    const space: SearchSpace = { tokens, ranges: ranges.list, confined: ranges.named, fileTokens, scopes, shared, known: renamesByScope };
    let previousEnd = -1;
    for (const block of blocks) {
      const code = block.removed.filter((k) => tokens.get(k)!.tokens.length > 0);
      let match: Match | undefined;
      if (code.length > 0) {
        const found = findBlock(code, block, previousEnd, space);
        if (!found.ok) return { ok: false, reason: `${label}: ${found.reason} in ${where}${space.confined ? foundElsewhere(code, block, space, where) : ''}` };
        match = found.match;
        const start = extendOverRemovedComments(match.start, block, lines, fileTexts, match.renames);
        edits.push({ start, end: match.end, insert: newLines(block, lines, fileTexts[match.start]!, lines[code[0]!]!.text, match.renames), hunk: index });
      } else {
        const anchor = insertionPoint(block, lines, previousEnd, space);
        if (!anchor.ok) return { ok: false, reason: `${label}: ${removedCodeGone(blocks, space) ?? anchor.reason} in ${where}` };
        match = anchor.match;
        const indentFrom = lines[anchor.anchorLine]!.text;
        edits.push({ start: match.end, end: match.end, insert: newLines(block, lines, fileTexts[anchor.fileLine]!, indentFrom, match.renames), hunk: index });
      }
      const scope = innermostFunction(scopes, match.start);
      if (scope) renamesByScope.set(scope.start, match.renames);
      const conflict = unmappedNameConflict(block, lines, match.renames) ?? clobberedLocal(block, lines, tokens, match.renames, scope);
      if (conflict) return { ok: false, reason: `${label}: ${conflict}` };
      if ([...match.renames].some(([from, to]) => from !== to)) tier = 'renaming';
      previousEnd = match.end;
    }
    const at = edits.filter((e) => e.hunk === index).map((e) => e.start + 1);
    notes.push(`hunk ${index + 1} found in ${ranges.named ? `\`${named}\`` : `\`${scopeAt(scopes, at[0]! - 1) ?? 'module level'}\`${named ? ` (the hunk names \`${named}\`, which the reference no longer has)` : ''}`} at line ${at.join(', ')}`);
  }
  const overlapping = edits.some((e, i) => edits.some((o, j) => i !== j && e.start < o.end && o.start < e.end));
  if (overlapping) return { ok: false, reason: 'two hunks land on the same lines' };
  const text = applyEdits(file, edits, crlf);
  if (text === reference) return { ok: false, reason: 'the edit, made where its code is today, changes nothing' };
  const renamed: Record<string, string> = {};
  for (const map of renamesByScope.values()) for (const [from, to] of map) if (from !== to) renamed[from] = to;
  const functions = [...new Set(edits.sort((a, b) => a.start - b.start).map((e) => scopeAt(scopes, e.start) ?? '<module>'))];
  return { ok: true, text, tier, renamed, functions, notes };
}

/** A line a change block removes and adds back unchanged is context (e.g. the second of two lines rewritten together). */
function unchangedPairsAsContext(lines: readonly HunkLine[]): HunkLine[] {
  const out: HunkLine[] = [];
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.op === ' ') {
      out.push(lines[k]!);
      k++;
      continue;
    }
    const removed: HunkLine[] = [];
    const added: HunkLine[] = [];
    while (k < lines.length && lines[k]!.op !== ' ') {
      (lines[k]!.op === '-' ? removed : added).push(lines[k]!);
      k++;
    }
    out.push(...mergeBlock(removed, added));
  }
  return out;
}

/** The removed and added lines of one block, their longest common run of identical lines turned into context. */
function mergeBlock(removed: readonly HunkLine[], added: readonly HunkLine[]): HunkLine[] {
  const same = (a: HunkLine, b: HunkLine) => a.text.trim() !== '' && withoutCr(a.text) === withoutCr(b.text);
  const table = Array.from({ length: removed.length + 1 }, () => new Array<number>(added.length + 1).fill(0));
  for (let i = removed.length - 1; i >= 0; i--)
    for (let j = added.length - 1; j >= 0; j--) table[i]![j] = same(removed[i]!, added[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: HunkLine[] = [];
  let i = 0;
  let j = 0;
  while (i < removed.length || j < added.length) {
    if (i < removed.length && j < added.length && same(removed[i]!, added[j]!)) {
      out.push({ ...removed[i]!, op: ' ' });
      i++;
      j++;
    } else if (i < removed.length && (j >= added.length || table[i + 1]![j]! >= table[i]![j + 1]!)) out.push(removed[i++]!);
    else out.push(added[j++]!);
  }
  return out;
}

/**
 * The hunk's old side tokenized, by hunk line index. A hunk may start inside a docstring (its
 * first lines the end of one): of the two readings, the one giving the removed lines more code wins.
 */
function oldSideTokens(lines: readonly HunkLine[]): Map<number, TokenLine> {
  const old = lines.flatMap((l, k) => (l.op === '+' ? [] : [k]));
  const readings = [undefined, '"""', "'''"].map((start) => tokenizeLines(old.map((k) => lines[k]!.text), start));
  const removedCode = (reading: TokenLine[]) => old.reduce((n, k, i) => n + (lines[k]!.op === '-' ? reading[i]!.tokens.length : 0) + (lines[k]!.op === ' ' && reading[i]!.tokens.length ? 0.001 : 0), 0);
  const best = readings.reduce((a, b) => (removedCode(b) > removedCode(a) ? b : a));
  return new Map(old.map((k, i) => [k, best[i]!]));
}

function blocksOf(lines: readonly HunkLine[]): Block[] {
  const blocks: Block[] = [];
  let context: number[] = [];
  let current: Block | undefined;
  lines.forEach((line, k) => {
    if (line.op === ' ') {
      if (current) {
        blocks.push(current);
        current = undefined;
      }
      context.push(k);
      return;
    }
    if (!current) {
      if (blocks.length) blocks[blocks.length - 1]!.after = context;
      current = { removed: [], added: [], before: context, after: [] };
      context = [];
    }
    (line.op === '-' ? current.removed : current.added).push(k);
  });
  if (current) blocks.push(current);
  else if (blocks.length) blocks[blocks.length - 1]!.after = context;
  return blocks;
}

/**
 * The line ranges (0-based, inclusive) to search: the def/class the hunk names, else the whole
 * file. A method the hunk names by its own `def` line (`forward`, `__init__`: many classes have
 * one) is looked for only in the class its heading names, when the file still has that class.
 */
function namedRanges(named: string | undefined, heading: string | undefined, scopes: readonly ReferenceScope[], length: number): { named: boolean; within?: string; list: [number, number][] } {
  let own = named === undefined ? [] : scopes.filter((s) => s.name === named);
  const outer = heading === undefined || heading === named ? [] : scopes.filter((s) => s.name === heading);
  if (own.length && outer.length) own = own.filter((s) => outer.some((o) => o.start < s.start && s.end <= o.end));
  if (named !== undefined && outer.length && own.length === 0) return { named: true, within: heading!, list: [] };
  if (own.length) return { named: true, ...(outer.length ? { within: heading! } : {}), list: own.map((s) => [s.start - 1, s.end - 1]) };
  return { named: false, list: [[0, length - 1]] };
}

type Found = { ok: true; match: Match } | { ok: false; reason: string };

/** Where one hunk's lines are looked for: its old side tokenized, the line ranges to search, today's file, the renames found so far. */
interface SearchSpace {
  tokens: ReadonlyMap<number, TokenLine>;
  ranges: readonly [number, number][];
  /** The ranges are the function the hunk names; else the whole file. */
  confined: boolean;
  fileTokens: readonly TokenLine[];
  scopes: readonly ReferenceScope[];
  shared: ReadonlySet<string>;
  /** Per function (its start line): old name → today's name. */
  known: ReadonlyMap<number, Map<string, string>>;
}

/** Where a block's removed code lines are today: a unique run of whole lines, best confirmed by the context around it. */
function findBlock(code: readonly number[], block: Block, after: number, space: SearchSpace): Found {
  const { tokens, ranges, fileTokens, scopes, shared, known } = space;
  const wanted = comparable(code.flatMap((k) => tokens.get(k)!.tokens));
  for (const allowRename of [false, true]) {
    const matches: Match[] = [];
    for (const [from, to] of ranges) {
      for (let start = Math.max(from, after); start <= to; start++) {
        if (fileTokens[start]!.tokens.length === 0) continue;
        const scope = innermostFunction(scopes, start);
        const base = new Map(scope ? (known.get(scope.start) ?? []) : []);
        let end = start;
        const got: Token[] = [];
        while (end <= to && got.length < wanted.length) got.push(...fileTokens[end++]!.tokens);
        const seq = comparable(got);
        if (seq.length !== wanted.length) continue;
        const renames = matchTokens(wanted, seq, base, allowRename ? scope : undefined, shared);
        if (!renames || !validRenames(renames, scope, fileTokens)) continue;
        const score = contextScore(block, tokens, fileTokens, start, end, renames, scope, shared, from, to);
        // Anywhere in the file, code read with other names is a guess unless a context line confirms it.
        if (!space.confined && score.count === 0 && [...renames].some(([a, b]) => a !== b)) continue;
        matches.push({ start, end, renames: score.renames, score: score.count });
      }
    }
    if (matches.length === 0) continue;
    const best = Math.max(...matches.map((m) => m.score));
    const top = matches.filter((m) => m.score === best);
    if (top.length > 1) return { ok: false, reason: `its removed code occurs ${top.length} times (lines ${top.map((m) => m.start + 1).join(', ')}) and its context does not tell them apart` };
    return { ok: true, match: top[0]! };
  }
  return { ok: false, reason: `its removed code \`${code.map((k) => asWritten(tokens.get(k)!.tokens)).join('; ')}\` is not there, even up to formatting and renamed locals` };
}

/** Where else in the file a named function's missing code is: a clue for the author (moved into a helper?), never a place to repair it in. */
function foundElsewhere(code: readonly number[], block: Block, space: SearchSpace, named: string): string {
  const whole: SearchSpace = { ...space, ranges: [[0, space.fileTokens.length - 1]], confined: false };
  const found = findBlock(code, block, -1, whole);
  if (!found.ok) return '';
  const there = space.scopes.filter((s) => found.match.start + 1 >= s.start && found.match.start + 1 <= s.end).map((s) => s.name).join('.');
  return `; the file has it${there ? ` in \`${there}\`` : ' at module level'} at line ${found.match.start + 1}, outside ${named}: if the code moved there, the bug is another function's now (re-author it)`;
}

/** A line's code as written (its spacing kept, its comment left out). */
function asWritten(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i > 0 && t.column > tokens[i - 1]!.column + tokens[i - 1]!.text.length ? ` ${t.text}` : t.text)).join('');
}

/**
 * Why a hunk cannot be placed when some of the code it removes is gone: the lines it only adds are
 * placed by context that is usually that same rotted code, and "no context left" would hide it.
 */
function removedCodeGone(blocks: readonly Block[], space: SearchSpace): string | undefined {
  for (const block of blocks) {
    const code = block.removed.filter((k) => space.tokens.get(k)!.tokens.length > 0);
    if (code.length === 0) continue;
    const found = findBlock(code, block, -1, space);
    if (!found.ok) return found.reason;
  }
  return undefined;
}

/**
 * How many context code lines around a match are where the hunk has them (nearest first, up to
 * three each side, stopping at the first that differs), with the renames they confirm.
 */
function contextScore(
  block: Block,
  tokens: ReadonlyMap<number, TokenLine>,
  fileTokens: readonly TokenLine[],
  start: number,
  end: number,
  renames: Map<string, string>,
  scope: ReferenceScope | undefined,
  shared: ReadonlySet<string>,
  from: number,
  to: number,
): { count: number; renames: Map<string, string> } {
  let current = renames;
  let count = 0;
  const side = (hunkLines: number[], fileStart: number, step: 1 | -1) => {
    let f = fileStart;
    for (const k of hunkLines.filter((k) => tokens.get(k)!.tokens.length > 0).slice(0, 3)) {
      while (f >= from && f <= to && fileTokens[f]!.tokens.length === 0) f += step;
      if (f < from || f > to) return;
      const next = matchTokens(comparable(tokens.get(k)!.tokens), comparable(fileTokens[f]!.tokens), current, scope, shared);
      if (!next || !validRenames(next, scope, fileTokens)) return;
      current = next;
      count++;
      f += step;
    }
  };
  side([...block.before].reverse(), start - 1, -1);
  side(block.after, end, 1);
  return { count, renames: current };
}

/**
 * The point a block that only adds lines goes: after its context before (or before its context
 * after), found as for removed code, where today's code lines on both sides are still the hunk's
 * neighbours (up to formatting and renamed locals): with other code between them now, before it
 * or after it would be two different bugs.
 */
function insertionPoint(block: Block, lines: readonly HunkLine[], after: number, space: SearchSpace): { ok: true; match: Match; fileLine: number; anchorLine: number } | { ok: false; reason: string } {
  const { tokens, fileTokens } = space;
  const before = block.before.filter((k) => tokens.get(k)!.tokens.length > 0).slice(-3);
  const next = block.after.filter((k) => tokens.get(k)!.tokens.length > 0).slice(0, 3);
  let placed: { ok: true; match: Match; fileLine: number; anchorLine: number } | undefined;
  if (before.length) {
    const found = findBlock(before, { ...block, before: [], after: block.after }, after, space);
    if (found.ok) placed = { ok: true, match: found.match, fileLine: lastCodeLine(fileTokens, found.match.end), anchorLine: before[before.length - 1]! };
  }
  if (!placed && next.length) {
    const found = findBlock(next, { ...block, before: block.before, after: [] }, after, space);
    if (found.ok) placed = { ok: true, match: { ...found.match, end: found.match.start }, fileLine: found.match.start, anchorLine: next[0]! };
  }
  if (!placed) return { ok: false, reason: 'the lines it adds have no context line left to place them by' };
  const apart = neighboursApart(before.at(-1), next[0], placed.match, space);
  if (apart === undefined) return placed;
  const code = (k: number | undefined) => (k === undefined ? '' : `\`${withoutCr(lines[k]!.text).trim()}\``);
  const between = [code(before.at(-1)), code(next[0])].filter(Boolean).join(' and ');
  return { ok: false, reason: `the lines it adds went next to ${between}, but today line ${apart + 1} is there instead` };
}

/** The line (0-based) next to the insertion point today that is not the hunk's neighbour there; undefined when both neighbours are. */
function neighboursApart(before: number | undefined, after: number | undefined, match: Match, space: SearchSpace): number | undefined {
  const { tokens, fileTokens, scopes, shared } = space;
  const at = match.end;
  let previous = at - 1;
  while (previous >= 0 && fileTokens[previous]!.tokens.length === 0) previous--;
  let following = at;
  while (following < fileTokens.length && fileTokens[following]!.tokens.length === 0) following++;
  const scope = innermostFunction(scopes, Math.max(previous, 0));
  const agrees = (hunkLine: number | undefined, fileLine: number) => {
    if (hunkLine === undefined) return true;
    if (fileLine < 0 || fileLine >= fileTokens.length) return false;
    const renames = matchTokens(comparable(tokens.get(hunkLine)!.tokens), comparable(fileTokens[fileLine]!.tokens), match.renames, scope, shared);
    return renames !== undefined && validRenames(renames, scope, fileTokens);
  };
  if (!agrees(before, previous)) return previous;
  if (!agrees(after, following)) return following;
  return undefined;
}

function lastCodeLine(fileTokens: readonly TokenLine[], end: number): number {
  let f = end - 1;
  while (f > 0 && fileTokens[f]!.tokens.length === 0) f--;
  return f;
}

/**
 * Token by token, equal up to a consistent renaming of local names: a name the mapping already
 * has must map the same way; a new pair is accepted only with renaming allowed (a function to
 * rename in), for a name that function binds today, from a name that cannot be today's module's
 * or a builtin (`sum`, a module constant, an imported function are no locals: reading `agg` or a
 * local `s` instead is another program). Attributes and keyword arguments never rename.
 */
function matchTokens(
  old: readonly Token[],
  now: readonly Token[],
  base: ReadonlyMap<string, string>,
  renameIn: ReferenceScope | undefined,
  shared: ReadonlySet<string>,
): Map<string, string> | undefined {
  if (old.length !== now.length) return undefined;
  const map = new Map(base);
  const taken = new Map([...map].map(([from, to]) => [to, from]));
  for (let i = 0; i < old.length; i++) {
    const a = old[i]!;
    const b = now[i]!;
    if (a.kind !== b.kind) return undefined;
    if (a.kind !== 'name' || a.fixed || b.fixed) {
      if (a.key !== b.key || Boolean(a.fixed) !== Boolean(b.fixed)) return undefined;
      continue;
    }
    const mapped = map.get(a.text);
    if (mapped !== undefined) {
      if (mapped !== b.text) return undefined;
      continue;
    }
    if (taken.has(b.text) && taken.get(b.text) !== a.text) return undefined;
    if (a.text !== b.text && (!renameIn?.names?.has(b.text) || shared.has(a.text))) return undefined;
    map.set(a.text, b.text);
    taken.set(b.text, a.text);
  }
  return map;
}

/** A renamed name must be gone from today's function: one that is still there would be two variables read as one. */
function validRenames(map: ReadonlyMap<string, string>, scope: ReferenceScope | undefined, fileTokens: readonly TokenLine[]): boolean {
  const changed = [...map].filter(([from, to]) => from !== to);
  if (changed.length === 0) return true;
  if (!scope) return false;
  const present = new Set<string>();
  for (let line = scope.start - 1; line < scope.end; line++) for (const t of fileTokens[line]?.tokens ?? []) if (t.kind === 'name' && !t.fixed) present.add(t.text);
  return changed.every(([from]) => !present.has(from));
}

/** A name the new lines use that today's function already uses for another of the patch's names would capture it. */
function unmappedNameConflict(block: Block, lines: readonly HunkLine[], map: ReadonlyMap<string, string>): string | undefined {
  const targets = new Map([...map].filter(([from, to]) => from !== to).map(([from, to]) => [to, from]));
  for (const line of tokenizeLines(block.added.map((k) => lines[k]!.text))) {
    for (const t of line.tokens) {
      if (t.kind !== 'name' || t.fixed || map.has(t.text)) continue;
      const owner = targets.get(t.text);
      if (owner) return `its new code uses \`${t.text}\`, which today's function uses for the patch's \`${owner}\``;
    }
  }
  return undefined;
}

/**
 * With the function's locals renamed, a name the new lines assign that the old patch's lines never
 * mention but today's function binds is a variable of today's code: assigning it there would
 * overwrite that variable, another bug than the old patch's (which made a new one).
 */
function clobberedLocal(block: Block, lines: readonly HunkLine[], oldSide: ReadonlyMap<number, TokenLine>, map: ReadonlyMap<string, string>, scope: ReferenceScope | undefined): string | undefined {
  const renamed = [...map].filter(([from, to]) => from !== to);
  if (renamed.length === 0 || !scope?.names) return undefined;
  const mentioned = new Set([...oldSide.values()].flatMap((l) => l.tokens.filter((t) => t.kind === 'name').map((t) => t.text)));
  for (const line of tokenizeLines(block.added.map((k) => lines[k]!.text))) {
    for (const name of assignedNames(line.tokens)) {
      if (map.has(name) || mentioned.has(name) || !scope.names.has(name)) continue;
      return `its new code assigns \`${name}\`, which the old patch's lines never mention but today's \`${scope.name}\` already uses for a variable of its own: with its locals renamed (${renamed.map(([from, to]) => `${from}→${to}`).join(', ')}), that would overwrite it, another bug`;
    }
  }
  return undefined;
}

/** The names a line of code assigns: its targets before a top-level `=` (or augmented assignment), or a `for` loop's. */
function assignedNames(tokens: readonly Token[]): string[] {
  if (tokens[0]?.kind === 'name' && tokens[0].text === 'for') {
    const end = tokens.findIndex((t) => t.kind === 'name' && t.text === 'in');
    return tokens.slice(1, end < 0 ? tokens.length : end).filter((t) => t.kind === 'name' && !t.fixed).map((t) => t.text);
  }
  let depth = 0;
  const targets: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'op' && '([{'.includes(t.text)) depth++;
    else if (t.kind === 'op' && ')]}'.includes(t.text)) depth--;
    else if (t.kind === 'op' && depth === 0 && (t.text === '=' || (t.text.length > 1 && t.text.endsWith('=') && !['==', '!=', '<=', '>='].includes(t.text) && t.text !== ':='))) return targets;
    else if (t.kind === 'name' && !t.fixed && depth === 0) targets.push(t.text);
  }
  return [];
}

/** The block's added lines, names renamed and indentation moved from the hunk's to the file's. */
function newLines(block: Block, lines: readonly HunkLine[], fileAnchor: string, hunkAnchor: string, map: ReadonlyMap<string, string>): string[] {
  const from = leadingWhitespace(withoutCr(hunkAnchor));
  const to = leadingWhitespace(fileAnchor);
  const added = block.added.map((k) => withoutCr(lines[k]!.text));
  const tokenized = tokenizeLines(added);
  return added.map((text, i) => reindent(renameInLine(text, tokenized[i]!, map), from, to));
}

function renameInLine(text: string, line: TokenLine, map: ReadonlyMap<string, string>): string {
  let out = text;
  const commentAt = line.comment !== undefined ? text.lastIndexOf(line.comment) : -1;
  if (commentAt >= 0) {
    out = out.slice(0, commentAt) + renameInComment(line.comment!, map);
  }
  for (const t of [...line.tokens].reverse()) {
    const to = t.kind === 'name' && !t.fixed ? map.get(t.text) : undefined;
    if (to !== undefined && to !== t.text) out = out.slice(0, t.column) + to + out.slice(t.column + t.text.length);
  }
  return out;
}

/** A comment's words that are renamed names, renamed: authors name their variables in comments too. */
function renameInComment(comment: string, map: ReadonlyMap<string, string>): string {
  let out = comment;
  for (const [from, to] of map) if (from !== to) out = out.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
  return out;
}

function reindent(text: string, from: string, to: string): string {
  if (from === to || text.trim() === '') return text;
  const own = leadingWhitespace(text);
  if (own.startsWith(from)) return to + text.slice(from.length);
  return to + text.slice(own.length);
}

/** Removed comment lines just before the removed code go too when today's file has them there (with the code's renames). */
function extendOverRemovedComments(start: number, block: Block, lines: readonly HunkLine[], fileTexts: readonly string[], map: ReadonlyMap<string, string>): number {
  const firstCode = block.removed.findIndex((k) => !isComment(lines[k]!.text));
  const leading = block.removed.slice(0, Math.max(firstCode, 0)).reverse();
  let s = start;
  for (const k of leading) {
    if (s > 0 && isComment(fileTexts[s - 1]!) && fileTexts[s - 1]!.trim() === renameInComment(withoutCr(lines[k]!.text).trim(), map)) s--;
    else break;
  }
  return s;
}

function isComment(text: string): boolean {
  return withoutCr(text).trim().startsWith('#');
}

function innermostFunction(scopes: readonly ReferenceScope[], line: number): ReferenceScope | undefined {
  let best: ReferenceScope | undefined;
  for (const s of scopes) if (s.names && line + 1 >= s.start && line + 1 <= s.end && (!best || s.start >= best.start)) best = s;
  return best;
}

function scopeAt(scopes: readonly ReferenceScope[], line: number): string | undefined {
  let best: ReferenceScope | undefined;
  for (const s of scopes) if (line + 1 >= s.start && line + 1 <= s.end && (!best || s.start >= best.start)) best = s;
  return best?.name;
}

function applyEdits(file: readonly TextLine[], edits: readonly Edit[], crlf: boolean): string {
  const out: TextLine[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.hunk - b.hunk)) {
    out.push(...file.slice(at, e.start));
    for (const text of e.insert) out.push({ text: crlf ? `${text}\r` : text, eol: '\n' });
    at = Math.max(at, e.end);
  }
  out.push(...file.slice(at));
  return joinTextLines(out);
}
