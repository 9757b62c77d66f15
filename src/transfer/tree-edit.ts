// Small structural edits on parsed trees for the student-style variants: where a node is (as a
// path that can be followed in a copy), replacing a node, rewriting every node of a kind.
import { fieldsOf, getAttr, isNode, walk, type PyNode } from '../python/tree.js';

export interface NodeStep {
  field: string;
  index?: number;
}

/** The steps from `root` to `node` (by identity), or undefined. */
export function pathTo(root: PyNode, node: PyNode): NodeStep[] | undefined {
  if (root === node) return [];
  for (const field of fieldsOf(root)) {
    const value = getAttr(root, field);
    const items = Array.isArray(value) ? value.map((item, index) => ({ item, index })) : [{ item: value, index: undefined }];
    for (const { item, index } of items) {
      if (!isNode(item)) continue;
      const rest = pathTo(item, node);
      if (rest) return [index === undefined ? { field } : { field, index }, ...rest];
    }
  }
  return undefined;
}

export function followPath(root: PyNode, steps: readonly NodeStep[]): PyNode | undefined {
  let current: unknown = root;
  for (const step of steps) {
    current = getAttr(current as PyNode, step.field);
    if (step.index !== undefined) current = Array.isArray(current) ? current[step.index] : undefined;
    if (!isNode(current)) return undefined;
  }
  return current as PyNode;
}

/** Puts `replacement` where `old` is below `root` (by identity); false when `old` is not there. */
export function replaceNode(root: PyNode, old: PyNode, replacement: PyNode): boolean {
  for (const node of walk(root)) {
    for (const field of fieldsOf(node)) {
      const value = getAttr(node, field);
      if (value === old) {
        node[field] = replacement;
        return true;
      }
      if (Array.isArray(value)) {
        const i = value.indexOf(old);
        if (i >= 0) {
          value[i] = replacement;
          return true;
        }
      }
    }
  }
  return false;
}

/** The nodes from `root` down to `node` (outermost first), by identity. */
export function nodesDownTo(root: PyNode, node: PyNode): PyNode[] {
  const steps = pathTo(root, node);
  if (!steps) return [];
  const chain = [root];
  for (let i = 1; i <= steps.length; i++) chain.push(followPath(root, steps.slice(0, i))!);
  return chain;
}

/**
 * Rewrites, inside-out, every node below `root` (and in its lists) that `rewrite` returns a new
 * node for; `root` itself is not replaced. Returns how many nodes were rewritten.
 */
export function rewriteBelow(root: PyNode, rewrite: (node: PyNode) => PyNode | undefined): number {
  let count = 0;
  const visit = (node: PyNode): PyNode => {
    for (const field of fieldsOf(node)) {
      const value = getAttr(node, field);
      if (Array.isArray(value)) value.forEach((item, i) => isNode(item) && (value[i] = visit(item)));
      else if (isNode(value)) node[field] = visit(value);
    }
    const next = rewrite(node);
    if (next) count++;
    return next ?? node;
  };
  for (const field of fieldsOf(root)) {
    const value = getAttr(root, field);
    if (Array.isArray(value)) value.forEach((item, i) => isNode(item) && (value[i] = visit(item)));
    else if (isNode(value)) root[field] = visit(value);
  }
  return count;
}

/** Names a node stores (assignment, loop, `with`, `except`… targets) or deletes anywhere inside it. */
export function storedNames(node: PyNode): Set<string> {
  const names = new Set<string>();
  for (const n of walk(node)) {
    const ctx = getAttr(n, 'ctx');
    if (n._type === 'Name' && typeof n.id === 'string' && isNode(ctx) && ctx._type !== 'Load') names.add(n.id);
  }
  return names;
}
