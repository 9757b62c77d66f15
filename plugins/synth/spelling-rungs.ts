// Equivalent spellings of a pinned site as more track rungs. Only for a deleted statement, the
// one edit that is right however the student spelled it: `x = x + y` is deleted as `x += y` is
// (and `self.n += 1` as `self.n = self.n + 1`), and `a * b` as `b * a`. (A replacement that keeps a part, `node.right`, is not: transfer
// verification's spelled variants show it, and such sites get no spelling rungs.)
import type { Pattern } from '../../src/plugin-kit.js';
import type { TrackRung } from './track-ladder.js';
import { ladderRungs } from './track-ladder.js';

const COMMUTATIVE = new Set(['Add', 'Mult', 'BitOr', 'BitAnd', 'BitXor']);

function isPlain(value: unknown): value is Pattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `x = x <op> y` (a statement pattern) as `x <op>= y`: the same site for a student who wrote it augmented. */
function augmented(pattern: Pattern): Pattern | undefined {
  const targets = pattern.targets;
  const value = pattern.value;
  if (pattern.node_type !== 'Assign' || !isPlain(value) || value.node_type !== 'BinOp' || typeof value.op !== 'string' || !isPlain(value.left)) return undefined;
  if (Array.isArray(targets) && (targets.length !== 1 || !isPlain(targets[0]) || (targets[0].node_type !== undefined && targets[0].node_type !== 'Name'))) return undefined;
  const left = value.left;
  if (left.node_type !== 'Name') return undefined;
  return { node_type: 'AugAssign', target: left, op: value.op, ...(value.right !== undefined ? { value: value.right } : {}) };
}

/**
 * `t <op>= y` as `t = t <op> y`, for a target that is not a plain name (`self.size += 1`,
 * `dp[i] += x`): the same expression on both sides reads the same there. (A name assigned reads
 * as a new canonical name, `_var5 = _var2 + y`, so nothing would say it is the same variable.)
 */
function expanded(pattern: Pattern): Pattern | undefined {
  const target = pattern.target;
  if (pattern.node_type !== 'AugAssign' || typeof pattern.op !== 'string' || !isPlain(target) || target.node_type === undefined || target.node_type === 'Name') return undefined;
  // The engine renames nothing inside an assignment's target that is not a name (`self` stays `self`):
  // there the target is required by its shape, and the value's left, renamed, says which.
  return { node_type: 'Assign', targets: [withoutCanonicalIds(target)], value: { node_type: 'BinOp', left: target, op: pattern.op, ...(pattern.value !== undefined ? { right: pattern.value } : {}) } };
}

function withoutCanonicalIds(pattern: Pattern): Pattern {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!isPlain(value)) return value;
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === 'id' && typeof v === 'string' && /^_(arg|var)\d+$/.test(v))).map(([k, v]) => [k, visit(v)]));
  };
  return visit(pattern) as Pattern;
}

/** Every commutative operator's operands swapped, at the top of the pattern's value. */
function commuted(pattern: Pattern): Pattern | undefined {
  const swap = (p: unknown): unknown => {
    if (!isPlain(p)) return p;
    if (p.node_type === 'BinOp' && typeof p.op === 'string' && COMMUTATIVE.has(p.op) && JSON.stringify(p.left) !== JSON.stringify(p.right)) {
      const { left, right, ...rest } = p;
      return { ...rest, ...(right !== undefined ? { left: right } : {}), ...(left !== undefined ? { right: left } : {}) };
    }
    return undefined;
  };
  const value = swap(pattern.value);
  return isPlain(value) ? { ...pattern, value } : undefined;
}

/**
 * The rungs (each with its own ladder) that find a deleted statement spelled the other common
 * ways, and the replace pattern widened to match them all: only the position and what every
 * spelling shares.
 */
export function spellingRungs(trackPattern: Pattern, trackAs: Record<string, string>): { rungs: TrackRung[]; widened: boolean } {
  const rungs: TrackRung[] = [];
  let widened = false;
  for (const [spelled, varies] of [
    [augmented(trackPattern), 'the augmented spelling (`x += y` for `x = x + y`)'],
    [expanded(trackPattern), 'the spelling without augmented assignment (`t = t + y` for `t += y`)'],
    [commuted(trackPattern), 'the operands of `+`/`*` swapped'],
  ] as const) {
    if (!spelled) continue;
    widened ||= spelled.node_type !== trackPattern.node_type;
    for (const rung of [...ladderRungs(spelled, trackAs), { pattern: spelled, trackAs, varies: '' }]) {
      rungs.push({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies });
    }
  }
  return { rungs, widened };
}
