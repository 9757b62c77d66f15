// Where a node sits in a tree: the field/index steps from the root, and the engine's notion of
// "the node at a position" (the first node in `ast.walk` order with that lineno and col_offset).
import { fieldsOf, getAttr, isNode, walk, type PyNode, type PyValue } from '../../src/python/tree.js';
import { isFunctionDef } from '../../src/transfer/python-names.js';

export interface PathStep {
  field: string;
  index?: number;
}

/** The steps from `root` down to `node` (depth-first search by identity), or undefined. */
export function stepsTo(root: PyNode, node: PyNode): PathStep[] | undefined {
  if (root === node) return [];
  for (const field of fieldsOf(root)) {
    const value = getAttr(root, field);
    if (isNode(value)) {
      const rest = stepsTo(value, node);
      if (rest) return [{ field }, ...rest];
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        if (!isNode(item)) continue;
        const rest = stepsTo(item, node);
        if (rest) return [{ field, index }, ...rest];
      }
    }
  }
  return undefined;
}

export function follow(root: PyNode, steps: readonly PathStep[]): PyNode | undefined {
  let current: PyValue | undefined = root;
  for (const step of steps) {
    current = getAttr(current, step.field);
    if (step.index !== undefined) current = Array.isArray(current) ? current[step.index] : undefined;
    if (!isNode(current)) return undefined;
  }
  return current as PyNode;
}

/** `node.a.b[0]` in the engine's path syntax. */
export function enginePath(steps: readonly PathStep[]): string {
  return ['node', ...steps.map((s) => (s.index === undefined ? s.field : `${s.field}[${s.index}]`))].join('.');
}

export function hasPosition(node: PyNode): boolean {
  return node.lineno !== undefined && node.lineno !== null && node.col_offset !== undefined && node.col_offset !== null;
}

export function positionKey(node: PyNode): string {
  return `${JSON.stringify(node.lineno)}:${JSON.stringify(node.col_offset)}`;
}

/** The node a find_and_track match at `node`'s position evaluates its paths on (the outermost one starting there). */
export function outermostAtPosition(root: PyNode, node: PyNode): PyNode | undefined {
  const key = positionKey(node);
  for (const candidate of walk(root)) if (hasPosition(candidate) && positionKey(candidate) === key) return candidate;
  return undefined;
}

/** `node` and its ancestors, innermost first, found by identity. */
export function ancestry(root: PyNode, node: PyNode): PyNode[] {
  const steps = stepsTo(root, node);
  if (!steps) return [];
  const chain: PyNode[] = [root];
  for (let i = 1; i <= steps.length; i++) chain.push(follow(root, steps.slice(0, i))!);
  return chain.reverse();
}

/** The functions and lambdas around `node`, innermost first. */
export function enclosingFunctions(root: PyNode, node: PyNode): PyNode[] {
  return ancestry(root, node)
    .slice(1)
    .filter((n) => isFunctionDef(n) || n._type === 'Lambda');
}
