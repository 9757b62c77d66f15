import { childNodes, walk, type PyNode } from '../python/tree.js';
import type { Condition, Pattern } from './definition.js';
import { matchesPattern, passesConditions, type TrackedContext } from './match-pattern.js';
import { resolveNodePath } from './node-path.js';
import { PythonException } from './python-exception.js';

/**
 * A find_and_track pass, as the engine's ast.NodeVisitor runs it: matches are found in the
 * canonical tree in depth-first pre-order; each is looked up in the original tree as the first
 * node (breadth-first, `ast.walk`) with the same (lineno, col_offset), and the track_as paths
 * are evaluated there. Later matches overwrite earlier values.
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
    if (node.lineno === undefined || node.col_offset === undefined) continue;
    const key = positionKey(node);
    if (!byPosition.has(key)) byPosition.set(key, node);
  }
  const visit = (node: PyNode): void => {
    if (matchesPattern(node, pattern, context) && passesConditions(node, conditions)) {
      if (node.lineno === undefined || node.col_offset === undefined) {
        throw new PythonException('AttributeError', `'${node._type}' object has no attribute 'lineno'`);
      }
      const source = byPosition.get(positionKey(node));
      if (source) {
        for (const [name, path] of Object.entries(trackAs ?? {})) {
          if (typeof path !== 'string') continue;
          const value = resolveNodePath(source, path);
          if (value !== undefined) context.set(name, value);
        }
      }
    }
    for (const child of childNodes(node)) visit(child);
  };
  visit(canonical);
}

function positionKey(node: PyNode): string {
  return `${JSON.stringify(node.lineno)}:${JSON.stringify(node.col_offset)}`;
}
