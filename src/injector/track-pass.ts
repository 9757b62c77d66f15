import { childNodes, isScalar, pyEquals, walk, type PyNode, type PyValue } from '../python/tree.js';
import type { CanonicalNames } from './canonicalize.js';
import type { Condition, Pattern } from './definition.js';
import { matchesPattern, passesConditions, type TrackedContext } from './match-pattern.js';
import { resolveNodePath } from './node-path.js';
import { PythonException } from './python-exception.js';

/**
 * A find_and_track pass, as the engine's ast.NodeVisitor runs it over the canonical copy: matches
 * are found in depth-first pre-order (the tree seen through its canonical names); each is looked
 * up as the first node (breadth-first, `ast.walk`) with the same (lineno, col_offset), and the
 * track_as paths are evaluated on that original node. Later matches overwrite earlier values.
 */
export function runTrackPass(
  tree: PyNode,
  canonical: CanonicalNames,
  pattern: Pattern,
  conditions: readonly Condition[] | undefined,
  trackAs: Record<string, unknown> | undefined,
  context: TrackedContext,
): void {
  const visit = (node: PyNode): void => {
    if (matchesPattern(node, pattern, context, canonical) && passesConditions(node, conditions)) {
      if (node.lineno === undefined || node.col_offset === undefined) {
        throw new PythonException('AttributeError', `'${node._type}' object has no attribute 'lineno'`);
      }
      const source = firstAtPosition(tree, node);
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
  visit(tree);
}

/** The first node of `ast.walk(tree)` (breadth-first) with `node`'s lineno and col_offset. */
function firstAtPosition(tree: PyNode, node: PyNode): PyNode | undefined {
  for (const candidate of walk(tree)) {
    if (candidate.lineno !== undefined && candidate.col_offset !== undefined && samePosition(candidate.lineno, node.lineno) && samePosition(candidate.col_offset, node.col_offset)) {
      return candidate;
    }
  }
  return undefined;
}

function samePosition(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (isScalar(a) && isScalar(b) && a.$py === 'int' && b.$py === 'int') return a.v === b.v;
  return pyEquals(a, b);
}
