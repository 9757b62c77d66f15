import type { Pattern } from '../../src/plugin-kit.js';
import { matchesPattern, type TrackedContext } from '../../src/plugin-kit.js';
import { childNodes, type PyNode } from '../../src/plugin-kit.js';

const NO_CONTEXT: TrackedContext = new Map();

/**
 * The nodes a find_and_replace pass would replace: the whole tree is walked top-down and the
 * children of a matching node are not visited (as the engine's NodeTransformer does).
 */
export function topDownMatches(root: PyNode, pattern: Pattern): PyNode[] {
  const matches: PyNode[] = [];
  const visit = (node: PyNode): void => {
    if (matchesPattern(node, pattern, NO_CONTEXT)) {
      matches.push(node);
      return;
    }
    for (const child of childNodes(node)) visit(child);
  };
  visit(root);
  return matches;
}

/** True when the pass would replace exactly `intended`, nothing more, nothing less. */
export function matchesExactly(root: PyNode, pattern: Pattern, intended: readonly PyNode[]): boolean {
  const matches = topDownMatches(root, pattern);
  return matches.length === intended.length && intended.every((node) => matches.includes(node));
}
