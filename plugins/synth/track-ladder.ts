// Position-free pins. A track pattern confined by an `_varN` names the site by its place among the
// target function's assignments, and a student who adds (or saves) one assignment before it moves
// it to `_varN±1`. So a pinned site is (1) singled out by its shape alone: with every `_varN`
// index ignored, its pattern matches nothing else (an `_argN` is the parameter's place in the
// signature, which the body cannot move), so no index shift can make it match another
// statement; and (2) tracked by a ladder of find_and_track passes, one per plausible index, all
// recording the same context variables: the engine keeps the context when a track finds nothing
// and overwrites it when a later one matches, so the reference's own reading goes last and wins.
import type { Pattern } from '../../src/plugin-kit.js';
import { matchesPattern, type TrackedContext } from '../../src/plugin-kit.js';
import { atSamePosition, nodesInOrder, type NodesInOrder } from '../../src/plugin-kit.js';
import { deepCopy, walk, type PyNode } from '../../src/plugin-kit.js';

const LOCAL = /^_var(\d+)$/;
const ARGUMENT = /^_arg(\d+)$/;
const NO_CONTEXT: TrackedContext = new Map();

/** One more find_and_track pass for a pinned site, run before the reference's own reading. */
export interface TrackRung {
  pattern: Pattern;
  trackAs: Record<string, string>;
  /** What this rung reads differently from the reference, for descriptions: `1 more assignment before it (\`_var5\`)`. */
  varies: string;
}

/**
 * A copy of a canonical tree (or a pattern) with every `_varN` id read as `_var#`. An `_argN`
 * keeps its index: it is the parameter's place in the signature (given to the student), which no
 * statement the student adds or saves can shift; only assignments move.
 */
function withoutIndices<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutIndices) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === 'id' && typeof item === 'string' ? item.replace(LOCAL, '_var#') : withoutIndices(item);
  }
  return out as T;
}

const indexFreeCopies = new WeakMap<PyNode, NodesInOrder>();

/**
 * True when the pattern, with every `_varN` index ignored, matches in the canonical copy only
 * nodes at the site's position: whatever the student's indices, no other node can match it.
 */
export function singlesOutIgnoringIndices(canonical: PyNode, pattern: Pattern, site: PyNode): boolean {
  let copy = indexFreeCopies.get(canonical);
  if (!copy) indexFreeCopies.set(canonical, (copy = nodesInOrder(withoutIndices(deepCopy(canonical)))));
  const loose = withoutIndices(pattern);
  for (const node of copy.ofType(loose.node_type)) {
    if (matchesPattern(node, loose, NO_CONTEXT) && !atSamePosition(node, site)) return false;
  }
  return true;
}

/** The `_varN` indices a pattern names. */
export function localIndices(pattern: unknown): number[] {
  const found = new Set<number>();
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) value.forEach((item) => visit(item));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) visit(v, k);
    else if (key === 'id' && typeof value === 'string') {
      const m = LOCAL.exec(value);
      if (m) found.add(Number(m[1]));
    }
  };
  visit(pattern);
  return [...found].sort((a, b) => a - b);
}

/** The pattern with every `_varN` it names read as `_var(N + shift)`. */
export function shiftLocals(pattern: Pattern, shift: number): Pattern {
  return shiftIds(pattern, LOCAL, (n) => `_var${n + shift}`);
}

/**
 * Bounds of a ladder, from the hand-written student files (test/fixtures/student-files): students
 * saved up to 6 of the reference's assignments before a site (tuple unpacking, inlined
 * temporaries) and added up to 2. So a ladder reads every index down to `_var0` (at most
 * `MAX_FEWER` fewer), and up to half as many more as the reference assigns before the site, at
 * least `MIN_MORE` (one more than seen), at most `MAX_MORE`.
 */
const MAX_FEWER = 12;
const MIN_MORE = 3;
const MAX_MORE = 8;

/**
 * The rungs for a pattern confined by `_varN` names: the same pattern with every index shifted by
 * the same amount, within the bounds above (N being the lowest index the pattern names: the
 * assignments the reference makes before it). Farthest readings first, so that when several
 * match, the one nearest the reference's wins (fewer before more at the same distance: adding a
 * variable is the commoner habit); the reference's own reading is not among them.
 */
export function ladderRungs(pattern: Pattern, trackAs: Record<string, string>): TrackRung[] {
  const indices = localIndices(pattern);
  if (indices.length === 0) return [];
  const fewest = -Math.min(indices[0]!, MAX_FEWER);
  const most = Math.min(Math.max(Math.ceil(indices[0]! / 2), MIN_MORE), MAX_MORE);
  const shifts: number[] = [];
  for (let shift = fewest; shift <= most; shift++) if (shift !== 0) shifts.push(shift);
  shifts.sort((a, b) => Math.abs(b) - Math.abs(a) || a - b);
  return shifts.map((shift) => ({
    pattern: shiftLocals(pattern, shift),
    trackAs,
    varies: `${Math.abs(shift)} ${shift > 0 ? 'more' : 'fewer'} assignment${Math.abs(shift) === 1 ? '' : 's'} before it (${indices.map((i) => `\`_var${i + shift}\``).join(', ')})`,
  }));
}

const canonicalOrders = new WeakMap<PyNode, NodesInOrder>();

/**
 * One more reading of a site confined by `_argN` in a module-level function: the same function
 * written as a method (`class Solution:` … `def f(self, nums)`, a common habit on problem sites),
 * where `self` comes first and every argument is one place later. Run before the reference's own
 * reading, it finds the site there; and where the site reads one argument and a look-alike the
 * next (`result.extend(left[i:])`, `result.extend(right[j:])`), the own reading misreads the
 * method's look-alike as the site, the method reading finds the site, and their confirmation
 * fails loudly instead. Only where the reading matches nothing in the reference: a function of
 * the module, as written, has nothing that reads so.
 */
export function methodRung(canonical: PyNode, pattern: Pattern, trackAs: Record<string, string>): TrackRung | undefined {
  if (!/"id":"_arg\d+"/.test(JSON.stringify(pattern))) return undefined;
  const shifted = shiftIds(pattern, ARGUMENT, (n) => `_arg${n + 1}`);
  let nodes = canonicalOrders.get(canonical);
  if (!nodes) canonicalOrders.set(canonical, (nodes = nodesInOrder(canonical)));
  for (const node of nodes.ofType(shifted.node_type)) if (matchesPattern(node, shifted, NO_CONTEXT)) return undefined;
  return { pattern: shifted, trackAs, varies: 'the function written as a method (`self` first, every argument one place later)' };
}

function shiftIds(pattern: Pattern, which: RegExp, to: (index: number) => string): Pattern {
  const visit = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
    if (key === 'id' && typeof value === 'string') {
      const m = which.exec(value);
      if (m) return to(Number(m[1]));
    }
    return value;
  };
  return visit(pattern) as Pattern;
}
