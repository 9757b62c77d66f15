import { walk, type PyNode } from '../python/tree.js';
import type { Condition, Pattern } from './definition.js';
import { matchesPattern, passesConditions, type TrackedContext } from './match-pattern.js';
import { resolveNodePath } from './node-path.js';

/**
 * A find_and_track pass: matches run on the canonical tree; each match is looked up in the
 * original tree as the first node (breadth-first) at the same (lineno, col_offset), and the
 * track_as paths are evaluated there. Later matches overwrite earlier values.
 */
export function runTrackPass(
  original: PyNode,
  canonical: PyNode,
  pattern: Pattern,
  conditions: readonly Condition[] | undefined,
  trackAs: Record<string, unknown> | undefined,
  context: TrackedContext,
): void {
  const byPosition = new Map<string, PyNode>();
  for (const node of walk(original)) {
    const key = positionKey(node);
    if (!byPosition.has(key)) byPosition.set(key, node);
  }
  for (const node of walk(canonical)) {
    if (!matchesPattern(node, pattern, context) || !passesConditions(node, conditions)) continue;
    const source = byPosition.get(positionKey(node));
    for (const [name, path] of Object.entries(trackAs ?? {})) {
      if (typeof path !== 'string') continue;
      const value = resolveNodePath(source, path);
      if (value !== undefined) context.set(name, value);
    }
  }
}

function positionKey(node: PyNode): string {
  return `${JSON.stringify(node.lineno ?? null)}:${JSON.stringify(node.col_offset ?? null)}`;
}
