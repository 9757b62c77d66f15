// Equivalent spellings of a pinned site as more track rungs. Only for a deleted statement, the
// one edit that is right however the student spelled it: `x = x + y` is deleted as `x += y` is,
// and `a * b` as `b * a`. (A replacement that keeps a part, `node.right`, is not: transfer
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
