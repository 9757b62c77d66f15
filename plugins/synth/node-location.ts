// Where a node sits in a tree: the field/index steps from the root, the path they spell, the
// ancestors and enclosing functions of a node.
import { fieldsOf, getAttr, isNode, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import { isFunctionDef } from '../../src/plugin-kit.js';

export interface PathStep {
  field: string;
  index?: number;
  /** The length of the list `index` is in, when it must be that long. */
  length?: number;
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

/** The node `steps` lead to from `root`; a step that gives a list's length requires that length. */
export function follow(root: PyNode, steps: readonly PathStep[]): PyNode | undefined {
  let current: PyValue | undefined = root;
  for (const step of steps) {
    current = getAttr(current, step.field);
    if (step.index !== undefined) {
      if (!Array.isArray(current) || (step.length !== undefined && current.length !== step.length)) return undefined;
      current = current[step.index];
    }
    if (!isNode(current)) return undefined;
  }
  return current as PyNode;
}

/** `a.b[0]`: the steps as a path below a node. */
export function pathText(steps: readonly PathStep[]): string {
  return steps.map((s) => (s.index === undefined ? s.field : `${s.field}[${s.index}]`)).join('.');
}

/** `node.a.b[0]` in the engine's path syntax. */
export function enginePath(steps: readonly PathStep[]): string {
  return steps.length ? `node.${pathText(steps)}` : 'node';
}

export function hasPosition(node: PyNode): boolean {
  return node.lineno !== undefined && node.lineno !== null && node.col_offset !== undefined && node.col_offset !== null;
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
