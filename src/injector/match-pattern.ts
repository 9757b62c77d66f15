import { getAttr, hasAttr, isNode, pyEquals, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import type { CanonicalNames } from './canonicalize.js';
import type { Condition, Pattern } from './definition.js';

export type TrackedContext = Map<string, PyValue>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The v2.1 matching rules (spec: "Matching a node against a pattern"). With `canonical`, the tree
 * is seen as the engine's canonical copy of it: renamed `Name` ids and `arg` names read as such.
 */
export function matchesPattern(node: PyValue | undefined, pattern: Pattern, context: TrackedContext, canonical?: CanonicalNames): boolean {
  // The node type first, as the engine checks it (and most nodes of a tree fail right there).
  if ('node_type' in pattern && !pyEquals(pyTypeName(node), pattern.node_type)) return false;
  for (const key in pattern) {
    if (key === 'node_type') continue;
    const expected = pattern[key];
    // The engine skips this key at the top of a pattern (it is only meaningful as a field's value).
    if (key === 'from_context') continue;
    if (!hasAttr(node, key)) return false;
    const actual = canonical && (key === 'id' || key === 'arg') ? (canonical.get(node as PyNode) ?? getAttr(node, key)) : getAttr(node, key);
    if (key === 'op' && typeof expected === 'string') {
      if (pyTypeName(actual) !== expected) return false;
    } else if (isPlainObject(expected) && 'from_context' in expected) {
      const name = expected.from_context as string;
      if (!context.has(name) || !pyEquals(context.get(name), actual)) return false;
    } else if (isPlainObject(expected)) {
      if (!matchesPattern(actual, expected, context, canonical)) return false;
    } else if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return false;
      for (let i = 0; i < expected.length; i++) {
        const item = expected[i];
        if (isPlainObject(item) && !matchesPattern(actual[i], item, context, canonical)) return false;
      }
    } else if (!pyEquals(expected, actual)) {
      return false;
    }
  }
  return true;
}

/** Conditions of a find_and_track pass; unknown checks pass. */
export function passesConditions(node: PyValue, conditions: readonly Condition[] | undefined): boolean {
  for (const condition of conditions ?? []) {
    if (!isPlainObject(condition)) continue;
    switch (condition.check) {
      case 'targets_length_equals': {
        const targets = getAttr(node, 'targets');
        if (!Array.isArray(targets) || !pyEquals(targets.length, condition.value)) return false;
        break;
      }
      case 'target_is_name': {
        const targets = getAttr(node, 'targets');
        const index = typeof condition.index === 'number' ? condition.index : 0;
        if (!Array.isArray(targets)) return false;
        const target = targets[index < 0 ? targets.length + index : index];
        if (!isNode(target) || target._type !== 'Name') return false;
        break;
      }
      case 'has_keyword_arg': {
        const keywords = getAttr(node, 'keywords');
        if (!isNode(node) || node._type !== 'Call' || !Array.isArray(keywords) || !keywords.some((kw) => isNode(kw) && pyEquals(getAttr(kw, 'arg'), condition.name))) return false;
        break;
      }
      default:
        break;
    }
  }
  return true;
}
