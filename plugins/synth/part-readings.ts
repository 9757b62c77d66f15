// Readings of a pinned site with a part written another way, as more track rungs run before the
// site's own readings; the replace then accepts what they read at that part. Each only where the
// rest of the pattern still confines the site (an `_argN` or `_varN` outside the part) and
// singles it out in the reference, and where the replacement stays right for that spelling:
// - a call held in a variable of its own (`gate = torch.sigmoid(x)`, then `x * gate`): read as any
//   name, where the replacement keeps the call whole (`node.right` → `gate`), drops it, or deletes
//   the statement, but never takes a piece of it (`node.right.args[0]` is not in `gate`);
// - a call that loses a keyword, spelled another way (`x.pow(2).mean(-1, keepdim=True)`);
// - the operands of `+`/`*` swapped inside a part the replacement keeps whole or leaves alone.
// Transfer verification's variants judge the result.
import type { Pattern } from '../../src/plugin-kit.js';
import { getAttr, isNode, type PyNode } from '../../src/plugin-kit.js';
import { follow as followNode, type PathStep } from './node-location.js';
import { ladderRungs, singlesOutIgnoringIndices, type TrackRung } from './track-ladder.js';

/** What a student commonly computes in a statement of its own: a call's result. */
const HOLDABLE = new Set(['Call']);
const CONFINING_ID = /^_(?:arg|var)\d+$/;
/** How deep below the tracked node a held part may be. */
const MAX_DEPTH = 3;

export interface PartReadings {
  rungs: TrackRung[];
  /** Paths below the target where the replace pattern must accept any node. */
  relaxed: PathStep[][];
}

export interface PartRequest {
  /** The track pattern, describing the site (the anchor node). */
  pattern: Pattern;
  trackAs: Record<string, string>;
  /** The engine's canonical copy and the site's node in it. */
  canonical: PyNode;
  canonicalSite: PyNode;
  /** Steps from the site to the edit's target, and from the target to the replacement's source (if any). */
  toTarget: readonly PathStep[];
  source?: readonly PathStep[];
  /** The snippet of a held part, for descriptions. */
  describe(steps: readonly PathStep[]): string;
}

export function heldPartRungs(request: PartRequest): PartReadings {
  const rungs: TrackRung[] = [];
  const relaxed: PathStep[][] = [];
  for (const steps of holdableParts(request.pattern)) {
    if (!rightWhenHeld(steps, request.toTarget, request.source)) continue;
    const held = replaceAt(request.pattern, steps, { node_type: 'Name' });
    if (!hasConfiningName(held) || !singlesOutIgnoringIndices(request.canonical, held, request.canonicalSite)) continue;
    const varies = `\`${request.describe(steps)}\` held in a variable of its own`;
    for (const rung of [...ladderRungs(held, request.trackAs), { pattern: held, trackAs: request.trackAs, varies: '' }]) {
      rungs.push({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies });
    }
    if (isPrefix(request.toTarget, steps)) relaxed.push(steps.slice(request.toTarget.length));
    // One part per site, the outermost: each held part costs a ladder of passes.
    break;
  }
  return { rungs, relaxed };
}

/**
 * A keyword dropped from a call is dropped however the call is spelled (`x.pow(2).mean(-1,
 * keepdim=True)` for `torch.mean(x ** 2, dim=-1, keepdim=True)`): one more rung reads the call
 * as any call, where the rest of the pattern (what encloses the call) still confines the site and
 * singles it out; the replace then requires a call at the position.
 */
export function respelledCallRungs(request: Omit<PartRequest, 'source' | 'describe'>): PartReadings {
  if (request.toTarget.length === 0) return { rungs: [], relaxed: [] };
  const any = replaceAt(request.pattern, request.toTarget, { node_type: 'Call' });
  if (!hasConfiningName(any) || !singlesOutIgnoringIndices(request.canonical, any, request.canonicalSite)) return { rungs: [], relaxed: [] };
  const varies = 'the call spelled another way';
  const rungs = [...ladderRungs(any, request.trackAs), { pattern: any, trackAs: request.trackAs, varies: '' }].map((rung) => ({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies }));
  return { rungs, relaxed: [[]] };
}

/** Paths (below the root, not a call's function) to sub-patterns of holdable node types, outermost first. */
function holdableParts(pattern: Pattern): PathStep[][] {
  // (A statement's whole value held in a variable is an alias, not a habit.)
  const wholeValue = (steps: readonly PathStep[]) => steps.length === 1 && steps[0]!.field === 'value' && isStatementPattern(pattern);
  return partsWhere(pattern, (value, steps) => steps.length > 0 && !wholeValue(steps) && typeof value.node_type === 'string' && HOLDABLE.has(value.node_type) && steps.at(-1)!.field !== 'func');
}

/** Paths to the sub-patterns (the root included) that satisfy `test`, outermost first, within `MAX_DEPTH`. */
function partsWhere(pattern: Pattern, test: (value: Pattern, steps: readonly PathStep[]) => boolean): PathStep[][] {
  const out: PathStep[][] = [];
  const queue: Array<{ value: Pattern; steps: PathStep[] }> = [{ value: pattern, steps: [] }];
  for (const { value, steps } of queue) {
    if (test(value, steps)) out.push(steps);
    if (steps.length >= MAX_DEPTH) continue;
    for (const [field, child] of Object.entries(value)) {
      if (isPlain(child)) queue.push({ value: child, steps: [...steps, { field }] });
      else if (Array.isArray(child)) child.forEach((item, index) => isPlain(item) && queue.push({ value: item, steps: [...steps, { field, index }] }));
    }
  }
  return out;
}

/** The held part must not hold the target, nor the part of it the replacement keeps. */
function rightWhenHeld(held: readonly PathStep[], toTarget: readonly PathStep[], source: readonly PathStep[] | undefined): boolean {
  if (isPrefix(held, toTarget)) return false;
  if (!isPrefix(toTarget, held) || !source) return true;
  const kept = [...toTarget, ...source];
  return !(isPrefix(held, kept) && kept.length > held.length);
}

function isPrefix(prefix: readonly PathStep[], steps: readonly PathStep[]): boolean {
  return prefix.length <= steps.length && prefix.every((step, i) => step.field === steps[i]!.field && step.index === steps[i]!.index);
}

function replaceAt(pattern: Pattern, steps: readonly PathStep[], part: Pattern): Pattern {
  if (steps.length === 0) return part;
  const [step, ...rest] = steps as [PathStep, ...PathStep[]];
  const child = pattern[step.field];
  if (step.index === undefined) return { ...pattern, [step.field]: replaceAt(child as Pattern, rest, part) };
  const items = [...(child as Pattern[])];
  items[step.index] = replaceAt(items[step.index]!, rest, part);
  return { ...pattern, [step.field]: items };
}

function hasConfiningName(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasConfiningName);
  if (!isPlain(pattern)) return false;
  return Object.entries(pattern).some(([key, value]) => (key === 'id' && typeof value === 'string' && CONFINING_ID.test(value)) || hasConfiningName(value));
}

/** The replace pattern with any node accepted at each relaxed path (edits in place). */
export function relaxAt(pattern: Pattern, paths: readonly PathStep[][]): void {
  for (const steps of paths) {
    let holder: unknown = pattern;
    for (const step of steps.slice(0, -1)) {
      holder = isPlain(holder) ? holder[step.field] : undefined;
      if (step.index !== undefined) holder = Array.isArray(holder) ? holder[step.index] : undefined;
    }
    const last = steps.at(-1);
    if (!last) {
      // The whole node: only its type remains required.
      for (const key of Object.keys(pattern)) if (key !== 'node_type' && key !== 'lineno' && key !== 'col_offset') delete pattern[key];
      continue;
    }
    if (!isPlain(holder)) continue;
    if (last.index === undefined) {
      if (last.field in holder) holder[last.field] = {};
    } else {
      const list = holder[last.field];
      if (Array.isArray(list) && list[last.index] !== undefined) list[last.index] = {};
    }
  }
}

function isStatementPattern(pattern: Pattern): boolean {
  return ['Assign', 'AugAssign', 'AnnAssign', 'Return', 'Expr'].includes(String(pattern.node_type));
}

function isPlain(value: unknown): value is Pattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const COMMUTATIVE = new Set(['Add', 'Mult']);

/**
 * Operands of `+`/`*` swapped inside a part the edit keeps whole or leaves alone
 * (`frac * math.pi` for `math.pi * progress` inside the kept `math.cos(…)`): the replacement
 * keeps what the student wrote there, so it stays right. One rung per such operation (at most
 * `MAX_SWAPS`), never one the replacement's path or the target lies below; the replace accepts
 * either order there.
 */
export function commutedPartRungs(request: Omit<PartRequest, 'describe'>): PartReadings {
  const rungs: TrackRung[] = [];
  const relaxed: PathStep[][] = [];
  const kept = request.source ? [...request.toTarget, ...request.source] : undefined;
  // The operator is read from the canonical copy: a pattern need not name it.
  const commutative = (steps: readonly PathStep[]) => {
    const node = followNode(request.canonicalSite, steps);
    const op = node && getAttr(node, 'op');
    return node?._type === 'BinOp' && isNode(op) && COMMUTATIVE.has(op._type) ? op._type : undefined;
  };
  for (const steps of partsWhere(request.pattern, (p, at) => p.node_type === 'BinOp' && (p.left !== undefined || p.right !== undefined) && commutative(at) !== undefined)) {
    if (rungs.length >= MAX_SWAPS) break;
    const below = (path: readonly PathStep[] | undefined) => !!path && isPrefix(steps, path) && path.length > steps.length;
    if (below(request.toTarget) || below(kept)) continue;
    const { left, right, ...rest } = follow(request.pattern, steps)!;
    if (JSON.stringify(left) === JSON.stringify(right)) continue;
    const swapped = replaceAt(request.pattern, steps, { ...rest, op: commutative(steps)!, ...(right !== undefined ? { left: right } : {}), ...(left !== undefined ? { right: left } : {}) });
    if (!hasConfiningName(swapped) || !singlesOutIgnoringIndices(request.canonical, swapped, request.canonicalSite)) continue;
    const varies = 'the operands of an inner `+`/`*` swapped';
    for (const rung of [...ladderRungs(swapped, request.trackAs), { pattern: swapped, trackAs: request.trackAs, varies: '' }]) {
      rungs.push({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies });
    }
    if (isPrefix(request.toTarget, steps)) relaxed.push(steps.slice(request.toTarget.length));
  }
  return { rungs, relaxed };
}

const MAX_SWAPS = 2;

function follow(pattern: Pattern, steps: readonly PathStep[]): Pattern | undefined {
  let current: unknown = pattern;
  for (const step of steps) {
    current = isPlain(current) ? current[step.field] : undefined;
    if (step.index !== undefined) current = Array.isArray(current) ? current[step.index] : undefined;
  }
  return isPlain(current) ? current : undefined;
}
