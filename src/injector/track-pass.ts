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
 * Returns how many nodes matched.
 */
export function runTrackPass(
  tree: PyNode,
  canonical: CanonicalNames,
  pattern: Pattern,
  conditions: readonly Condition[] | undefined,
  trackAs: Record<string, unknown> | undefined,
  context: TrackedContext,
  nodes?: NodesInOrder,
): number {
  const originalAt = positionLookup(tree);
  let matches = 0;
  const check = (node: PyNode): void => {
    if (matchesPattern(node, pattern, context, canonical) && passesConditions(node, conditions)) {
      matches++;
      if (node.lineno === undefined || node.col_offset === undefined) {
        throw new PythonException('AttributeError', `'${node._type}' object has no attribute 'lineno'`);
      }
      const source = originalAt(node);
      if (source) {
        for (const [name, path] of Object.entries(trackAs ?? {})) {
          if (typeof path !== 'string') continue;
          const value = resolveNodePath(source, path);
          if (value !== undefined) context.set(name, value);
        }
      }
    }
  };
  if (nodes) {
    // The same order as the walk below, only the nodes of the pattern's type (a ladder runs many passes on one tree).
    for (const node of nodes.ofType(pattern.node_type)) check(node);
    return matches;
  }
  const visit = (node: PyNode): void => {
    check(node);
    for (const child of childNodes(node)) visit(child);
  };
  visit(tree);
  return matches;
}

/** A tree's nodes in depth-first pre-order (the order of a track pass), by node type: built once, read by many passes. */
export interface NodesInOrder {
  ofType(type: unknown): readonly PyNode[];
}

export function nodesInOrder(tree: PyNode): NodesInOrder {
  let all: PyNode[] | undefined;
  let byType: Map<string, PyNode[]> | undefined;
  const build = () => {
    all = [];
    byType = new Map();
    const visit = (node: PyNode): void => {
      all!.push(node);
      let list = byType!.get(node._type);
      if (!list) byType!.set(node._type, (list = []));
      list.push(node);
      for (const child of childNodes(node)) visit(child);
    };
    visit(tree);
  };
  return {
    ofType(type) {
      if (!all) build();
      return typeof type === 'string' ? (byType!.get(type) ?? []) : all!;
    },
  };
}

/** The first node of `ast.walk(tree)` (breadth-first) with `node`'s lineno and col_offset. */
export function firstAtPosition(tree: PyNode, node: PyNode): PyNode | undefined {
  for (const candidate of walk(tree)) if (atSamePosition(candidate, node)) return candidate;
  return undefined;
}

/** Both nodes have a lineno and a col_offset, and they are equal (Python's `==`). */
export function atSamePosition(a: PyNode, b: PyNode): boolean {
  return a.lineno !== undefined && a.col_offset !== undefined && samePosition(a.lineno, b.lineno) && samePosition(a.col_offset, b.col_offset);
}

/**
 * firstAtPosition for the matches of one pass: the first look-up walks the tree, a second one
 * indexes it (most passes match once; a pass that matches often should not walk it each time).
 */
function positionLookup(tree: PyNode): (node: PyNode) => PyNode | undefined {
  let lookups = 0;
  let index: Map<string, PyNode> | null | undefined;
  return (node) => {
    const key = intPositionKey(node);
    if (++lookups > 1 && index === undefined) index = indexByPosition(tree);
    return key === undefined || !index ? firstAtPosition(tree, node) : index.get(key);
  };
}

/** The first node at each position, or null when some position is not a pair of ints (then only `==` can tell). */
function indexByPosition(tree: PyNode): Map<string, PyNode> | null {
  const index = new Map<string, PyNode>();
  for (const node of walk(tree)) {
    if (node.lineno === undefined || node.col_offset === undefined) continue;
    const key = intPositionKey(node);
    if (key === undefined) return null;
    if (!index.has(key)) index.set(key, node);
  }
  return index;
}

/** A key equal exactly when two int positions are: parsed and copied positions are ints. */
function intPositionKey(node: PyNode): string | undefined {
  const { lineno, col_offset: col } = node;
  return isScalar(lineno) && lineno.$py === 'int' && isScalar(col) && col.$py === 'int' ? `${lineno.v}:${col.v}` : undefined;
}

function samePosition(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (isScalar(a) && isScalar(b) && a.$py === 'int' && b.$py === 'int') return a.v === b.v;
  return pyEquals(a, b);
}
